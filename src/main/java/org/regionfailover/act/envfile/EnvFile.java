package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.regionfailover.config.Region;
import org.regionfailover.decide.EnvFileReading;

/**
 * The env file the application stack sources: exactly
 * {@code export EXT_CLOUD=<host>} and {@code export EXT_REGION=<REGION>}, one per line.
 */
public final class EnvFile {
  /**
   * Exactly what {@link #render} writes: the stack sources this file as shell, so anything
   * else in it (a command, a {@code $(...)} in a value) would run on every start.
   */
  private static final Pattern EXACT = Pattern.compile(
      "export EXT_CLOUD=([A-Za-z0-9.:\\[\\]-]{1,261})\nexport EXT_REGION=([A-Za-z0-9_]{1,64})\n");
  /** The file is two short lines; anything much larger is not ours. */
  private static final long MAX_BYTES = 64 * 1024;

  private EnvFile() {}

  /** The file's content for a region. */
  public static String render(Region region) {
    return "export EXT_CLOUD=" + region.host() + "\n" + "export EXT_REGION=" + region.name() + "\n";
  }

  /** Reads the file without ever throwing: problems become {@link EnvFileReading.Unusable}. */
  public static EnvFileReading read(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        return new EnvFileReading.Unusable("larger than " + MAX_BYTES + " bytes");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new EnvFileReading.Missing();
    } catch (IOException | RuntimeException e) {
      return new EnvFileReading.Unusable("cannot read " + file + ": " + e.getMessage());
    }
    Matcher m = EXACT.matcher(text);
    if (m.matches()) {
      return new EnvFileReading.Names(m.group(2), m.group(1));
    }
    return new EnvFileReading.Unusable("not exactly the two lines this program writes"
        + " (export EXT_CLOUD=<host>, export EXT_REGION=<REGION>); found " + quoted(text));
  }

  /**
   * The file's text for a person: control characters escaped, so that a newline or an
   * escape sequence in the file cannot forge log lines, and cut to a readable length.
   */
  public static String quoted(String text) {
    StringBuilder b = new StringBuilder("\"");
    int limit = Math.min(text.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"', '\\' -> b.append('\\').append(c);
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
    return text.length() > limit ? b + " (" + text.length() + " chars)" : b.toString();
  }
}
