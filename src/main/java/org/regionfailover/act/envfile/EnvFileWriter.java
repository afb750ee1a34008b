package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.regionfailover.config.Region;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;

/**
 * Rewrites the env file atomically: the new content goes to a temp file in the same
 * directory, is fsynced, renamed over the old file, and the directory is fsynced. A crash
 * at any point leaves either the old file or the new one, never a part of either.
 */
public final class EnvFileWriter implements Action {
  private static final String TMP_PREFIX = ".";
  private static final String TMP_SUFFIX = ".tmp";

  private final Path file;

  public EnvFileWriter(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
  }

  @Override
  public String name() {
    return "env_file";
  }

  @Override
  public void apply(Region target) throws ActionException {
    try {
      write(EnvFile.render(target));
    } catch (IOException e) {
      throw new ActionException("cannot write env file " + file + ": " + e, e);
    }
  }

  /** Writes {@code content} atomically. */
  public void write(String content) throws IOException {
    Path dir = file.getParent();
    Path tmp = dir.resolve(TMP_PREFIX + file.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // 0644 whatever the umask: the stack may run as another user and must read it.
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    fsyncDirectory(dir);
  }

  /** Deletes temp files that a killed writer left behind; returns how many. */
  public int removeLeftovers() throws IOException {
    int n = 0;
    // Matched by prefix and suffix, not a glob: a file name may contain glob characters.
    String prefix = TMP_PREFIX + file.getFileName() + ".";
    try (DirectoryStream<Path> s = Files.newDirectoryStream(file.getParent())) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(TMP_SUFFIX)
            && name.length() > prefix.length() + TMP_SUFFIX.length()) {
          Files.deleteIfExists(p);
          n++;
        }
      }
    }
    return n;
  }

  public Path file() {
    return file;
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    // The rename lives in the directory; without this a power cut can undo it.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
