package org.regionfailover.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The maintenance file: one window a line, {@code REGION START/DURATION reason} or
 * {@code REGION START/END reason}, {@code #} comments and blank lines allowed. A start (and
 * an end) is ISO-8601 in UTC ({@code 2026-12-01T02:00Z}) or with an explicit offset
 * ({@code 2026-12-01T03:00+01:00}): a local time without an offset is refused, since the
 * host's time zone is nobody's guess. A file that does not exist holds no windows.
 */
public final class MaintenanceFile {
  /** What a line may be, for the messages. */
  public static final String LINE_ALLOWED = "expected REGION START/DURATION reason, e.g."
      + " 'EU 2026-12-01T02:00Z/2h cloud maintenance' (or START/END), a # comment or a blank"
      + " line";
  /** What a start or end may be, for the messages. */
  public static final String TIME_ALLOWED = "expected an ISO-8601 time in UTC such as"
      + " 2026-12-01T02:00Z or with an explicit offset such as 2026-12-01T03:00+01:00 (a local"
      + " time without an offset is ambiguous)";
  private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(\\S+)/(\\S+)\\s+(.*)");
  private static final String HEADER = "# Planned maintenance windows, one a line:"
      + " REGION START/DURATION reason.\n# Written by region-failover when POST /maintenance"
      + " or DELETE /maintenance/ID change it;\n# edit it by hand and reload (SIGHUP) as"
      + " well.\n";

  private MaintenanceFile() {}

  /**
   * The windows of {@code file} (none when it does not exist), each region one of
   * {@code regions}; every bad line is named in one {@link ConfigException}.
   */
  public static List<MaintenanceWindow> read(Path file, Collection<String> regions) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new ConfigException(Setting.MAINTENANCE_FILE.label(), "cannot read " + file + ": "
          + e.getMessage());
    }
    return parse(file.toString(), lines, regions);
  }

  /** The windows of {@code lines}, read from {@code name}; duplicates kept once. */
  public static List<MaintenanceWindow> parse(String name, List<String> lines,
      Collection<String> regions) {
    Map<String, MaintenanceWindow> windows = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (i == 0 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (text.isBlank() || text.stripLeading().startsWith("#")) {
        continue;
      }
      try {
        MaintenanceWindow w = line(text, regions);
        windows.putIfAbsent(w.id(), w);
      } catch (IllegalArgumentException e) {
        problems.add(name + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(Setting.MAINTENANCE_FILE.label(), String.join("; ", problems));
    }
    return List.copyOf(windows.values());
  }

  /** One line; an {@link IllegalArgumentException} says what is wrong and what is allowed. */
  public static MaintenanceWindow line(String text, Collection<String> regions) {
    Matcher m = LINE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + ConfigException.shown(text.strip()) + "' is not"
          + " a window; " + LINE_ALLOWED + (text.strip().split("\\s+").length == 2
          ? " (the reason is required)" : ""));
    }
    String region = region(m.group(1), regions);
    Instant start = time("start", m.group(2));
    Duration duration = lengthOrEnd(m.group(3), start);
    String reason = m.group(4).strip();
    if (reason.isEmpty()) {
      throw new IllegalArgumentException("the reason is required; " + LINE_ALLOWED);
    }
    return new MaintenanceWindow(region, start, duration, reason);
  }

  /** {@code name}, upper-cased, when it is one of {@code regions}. */
  public static String region(String name, Collection<String> regions) {
    String upper = name.strip().toUpperCase(java.util.Locale.ROOT);
    if (!regions.contains(upper)) {
      throw new IllegalArgumentException("region '" + ConfigException.shown(name) + "' is not"
          + " in the failover order; expected one of " + String.join(", ", regions));
    }
    return upper;
  }

  /** An instant with an explicit offset; {@code what} names it in the message. */
  public static Instant time(String what, String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      boolean local = isLocal(text);
      throw new IllegalArgumentException(what + " '" + ConfigException.shown(text) + "' "
          + (local ? "has no offset" : "is not a time") + "; " + TIME_ALLOWED);
    }
  }

  private static boolean isLocal(String text) {
    try {
      LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** A duration ({@code 2h}), or an end after {@code start}. */
  private static Duration lengthOrEnd(String text, Instant start) {
    if (text.matches("\\d{4}-.*")) {
      Instant end = time("end", text);
      if (!end.isAfter(start)) {
        throw new IllegalArgumentException("end " + end + " is not after the start " + start
            + "; a window ends after it starts");
      }
      return Duration.between(start, end);
    }
    try {
      return DurationParser.parse("duration", text);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** The file's text for {@code windows}: a header, then one line each. */
  public static String render(Collection<MaintenanceWindow> windows) {
    StringBuilder b = new StringBuilder(HEADER);
    windows.forEach(w -> b.append(w.line()).append('\n'));
    return b.toString();
  }
}
