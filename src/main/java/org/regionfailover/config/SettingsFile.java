package org.regionfailover.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A settings file as written: lines {@code KEY=VALUE}, blank lines and {@code #} comments.
 * The shell and systemd spellings of today's env files are accepted, so a file sourced with
 * {@code set -a; .} or read by {@code EnvironmentFile=} reads the same here: an optional
 * {@code export } prefix, and one pair of matching quotes around the value, removed. Nothing
 * else is interpreted: no escapes, no {@code $VARIABLE}, no comment after a value.
 *
 * <p>Keys are not checked against the settings here (a set file allows fewer than the main
 * file): {@link #entries} holds every well-formed line, {@link #problems} every other one.
 */
public final class SettingsFile {
  /** A key as the shell would take it. */
  private static final Pattern LINE =
      Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
  private static final Pattern WORD = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)");

  /** One {@code KEY=VALUE} line: the value with its quotes removed, and where it is. */
  public record Entry(String key, String value, Path file, int line) {
    /** {@code /etc/region-failover/region-failover.env:12}. */
    public String where() {
      return file + ":" + line;
    }
  }

  private final Path path;
  private final Map<String, Entry> entries;
  private final List<ConfigException> problems;

  private SettingsFile(Path path, Map<String, Entry> entries, List<ConfigException> problems) {
    this.path = path;
    this.entries = Collections.unmodifiableMap(entries);
    this.problems = List.copyOf(problems);
  }

  /**
   * Reads {@code path}. A file that cannot be read is a {@link ConfigException} naming it,
   * labelled {@code label} (the setting or place that named the file); malformed lines are
   * {@link #problems}, not exceptions, so that all of them can be listed.
   */
  public static SettingsFile read(Path path, String label) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw unreadable(path, label, Files.isSymbolicLink(path)
          ? "it is a link to nothing (" + target(path) + ")" : "there is no such file");
    } catch (AccessDeniedException e) {
      throw unreadable(path, label, "permission denied");
    } catch (CharacterCodingException e) {
      throw unreadable(path, label, "it is not UTF-8 text");
    } catch (IOException e) {
      throw unreadable(path, label, Files.isDirectory(path) ? "it is a directory"
          : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    return parse(path, lines);
  }

  /** {@code lines} as read from {@code path}. */
  static SettingsFile parse(Path path, List<String> lines) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<ConfigException> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      String where = path + ":" + (i + 1);
      if (i == 0 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (text.isBlank() || text.stripLeading().startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(text);
      if (!m.matches()) {
        problems.add(malformed(where, i + 1, text));
        continue;
      }
      String key = m.group(1);
      Optional<String> value = unquoted(m.group(2).strip());
      if (value.isEmpty()) {
        problems.add(new ConfigException(where, key, "the value starts with a quote that does"
            + " not end it; quote the whole value (KEY=\"...\" or KEY='...') or none of it"));
        continue;
      }
      Entry earlier = entries.get(key);
      if (earlier != null) {
        problems.add(new ConfigException(where, key, "given twice, on lines " + earlier.line()
            + " and " + (i + 1) + "; keep one"));
        continue;
      }
      entries.put(key, new Entry(key, value.get(), path, i + 1));
    }
    return new SettingsFile(path, entries, problems);
  }

  /**
   * A line that is not {@code KEY=VALUE}. Its text is not shown (it may be a password that
   * lost its key); only a leading word that is a setting's key is.
   */
  private static ConfigException malformed(String where, int line, String text) {
    Matcher word = WORD.matcher(text);
    String rule = "expected KEY=VALUE (no spaces around '='), a # comment or a blank line";
    return word.lookingAt() && Setting.byEnv(word.group(1)).isPresent()
        ? new ConfigException(where, word.group(1), "the line is not KEY=VALUE; " + rule)
        : new ConfigException(where, "line " + line,
            "not KEY=VALUE (the line is not shown: it may hold a secret); " + rule);
  }

  /** The value without one pair of matching quotes; empty when a quote is left open. */
  private static Optional<String> unquoted(String value) {
    if (value.isEmpty() || (value.charAt(0) != '"' && value.charAt(0) != '\'')) {
      return Optional.of(value);
    }
    char quote = value.charAt(0);
    if (value.length() < 2 || value.charAt(value.length() - 1) != quote) {
      return Optional.empty();
    }
    return Optional.of(value.substring(1, value.length() - 1));
  }

  private static ConfigException unreadable(Path path, String label, String why) {
    return new ConfigException(label, "cannot read " + path + ": " + why);
  }

  private static String target(Path link) {
    try {
      return "it points to " + Files.readSymbolicLink(link);
    } catch (IOException e) {
      return "its target is unknown";
    }
  }

  /** This file with only the entries whose key passes {@code keep} (the others are errors). */
  public SettingsFile restrictedTo(java.util.function.Predicate<String> keep) {
    Map<String, Entry> kept = new LinkedHashMap<>(entries);
    kept.keySet().removeIf(keep.negate());
    return new SettingsFile(path, kept, problems);
  }

  public Path path() {
    return path;
  }

  /** The well-formed lines by key, in file order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The line giving {@code key}, if any. */
  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** Malformed lines, quotes left open and keys given twice, in file order. */
  public List<ConfigException> problems() {
    return problems;
  }
}
