package org.regionfailover.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A planned maintenance of {@code region} (a name of the failover order) from {@code start}
 * for {@code duration}, because {@code reason}. Its {@link #id()} comes from its content, so
 * the same line keeps the same ID across restarts and reloads, and the file needs no IDs.
 */
public record MaintenanceWindow(String region, Instant start, Duration duration, String reason) {
  public MaintenanceWindow {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(reason, "reason");
    region = region.strip().toUpperCase(Locale.ROOT);
    reason = reason.strip();
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("a window lasts a positive time: " + duration);
    }
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("a window has a reason");
    }
  }

  /** When the window ends (exclusive). */
  public Instant end() {
    return start.plus(duration);
  }

  /** Whether {@code wall} is inside the window. */
  public boolean covers(Instant wall) {
    return !wall.isBefore(start) && wall.isBefore(end());
  }

  /** Whether the window is over at {@code wall}. */
  public boolean over(Instant wall) {
    return !wall.isBefore(end());
  }

  /** A short stable ID: the first 12 hex digits of the SHA-256 of the window's line. */
  public String id() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(line().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The window as a line of the maintenance file: {@code REGION START/DURATION reason}. */
  public String line() {
    return region + " " + start + "/" + DurationParser.text(duration) + " " + reason;
  }
}
