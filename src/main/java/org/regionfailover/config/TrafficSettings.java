package org.regionfailover.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a set's evidence from the applications' own calls comes from (issue 27): the
 * {@code endpoint} (the applications POST their counts), and the programs whose logs are
 * read ({@code log:PROGRAM}) with the patterns that classify a line; and the file of the
 * token the endpoint asks for. The patterns are kept as written (a compiled pattern has no
 * value equality) and were checked to compile when loaded. The token itself is never held
 * here, only its file: a record's text must never show it.
 */
public record TrafficSettings(boolean endpoint, List<String> logPrograms,
    Optional<String> errorPattern, Optional<String> okPattern, Optional<Path> tokenFile) {
  /** No traffic source. */
  public static final TrafficSettings OFF =
      new TrafficSettings(false, List.of(), Optional.empty(), Optional.empty(), Optional.empty());

  public TrafficSettings {
    logPrograms = List.copyOf(logPrograms);
    Objects.requireNonNull(errorPattern, "errorPattern");
    Objects.requireNonNull(okPattern, "okPattern");
    Objects.requireNonNull(tokenFile, "tokenFile");
    if (!logPrograms.isEmpty() && (errorPattern.isEmpty() || okPattern.isEmpty())) {
      throw new IllegalArgumentException("a log: source needs both patterns");
    }
  }

  /** Whether any source is on: the traffic rules apply. */
  public boolean enabled() {
    return endpoint || !logPrograms.isEmpty();
  }

  /** The error pattern, compiled; only with a log: source. */
  public Pattern error() {
    return Pattern.compile(errorPattern.orElseThrow());
  }

  /** The ok pattern, compiled; only with a log: source. */
  public Pattern ok() {
    return Pattern.compile(okPattern.orElseThrow());
  }

  /**
   * The bearer token the evidence endpoint requires: the token file's content, stripped;
   * empty when no file is configured (loopback alone is the check).
   */
  public Optional<String> token() throws IOException {
    if (tokenFile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip());
  }
}
