package org.regionfailover.act;

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
  private static final Pattern LINE =
      Pattern.compile("^\\s*(?:export\\s+)?(EXT_CLOUD|EXT_REGION)=[\"']?([^\"'\\s]*)[\"']?\\s*$");
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
    String host = null;
    String region = null;
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        if (m.group(1).equals("EXT_CLOUD")) {
          host = m.group(2);
        } else {
          region = m.group(2);
        }
      }
    }
    if (region == null || region.isEmpty()) {
      return new EnvFileReading.Unusable("no EXT_REGION line");
    }
    if (host == null || host.isEmpty()) {
      return new EnvFileReading.Unusable("no EXT_CLOUD line");
    }
    return new EnvFileReading.Names(region, host);
  }
}
