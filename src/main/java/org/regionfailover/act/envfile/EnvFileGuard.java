package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.regionfailover.config.Region;

/**
 * Keeps the env file what this program wrote: a file deleted or edited by hand is
 * rewritten for the active region, so the next start of the stack reads the right region
 * and nothing else (the stack sources the file as shell). Checked once a tick: a read of
 * two short lines, no watcher thread.
 */
public final class EnvFileGuard {
  private static final long MAX_BYTES = 64 * 1024;

  private final EnvFileWriter writer;

  public EnvFileGuard(Path envFile) {
    this.writer = new EnvFileWriter(Objects.requireNonNull(envFile, "envFile"));
  }

  /**
   * Rewrites the file if it is not exactly {@code active}'s; returns what was found then
   * ("missing", or the content, escaped), or empty when the file was right.
   */
  public Optional<String> restore(Region active) throws IOException {
    String expected = EnvFile.render(active);
    String found = read();
    if (expected.equals(found)) {
      return Optional.empty();
    }
    writer.write(expected);
    return Optional.of(found == null ? "missing" : EnvFile.quoted(found));
  }

  private String read() throws IOException {
    Path file = writer.file();
    try {
      if (Files.size(file) > MAX_BYTES) {
        return "(larger than " + MAX_BYTES + " bytes)";
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (java.nio.charset.CharacterCodingException e) {
      return "(not UTF-8 text)";
    }
  }

  /** The env file guarded. */
  public Path file() {
    return writer.file();
  }
}
