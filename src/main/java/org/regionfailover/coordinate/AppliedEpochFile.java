package org.regionfailover.coordinate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.regionfailover.act.envfile.EnvFileWriter;

/**
 * The last fleet epoch this host applied, beside the env file
 * ({@code .<env file>.fleet-epoch}: the cluster, the decision node's creation zxid and the
 * epoch, written atomically). A decision node that was deleted and made again (a new
 * ensemble, a wiped tree) starts its versions at 0 again: its zxid tells it apart, so the
 * host does not refuse every decision of the new node as stale.
 */
public final class AppliedEpochFile {
  /** What was applied: {@code epoch} of the node created at {@code zxid} in {@code cluster}. */
  public record Applied(String cluster, long zxid, int epoch) {
    public static final Applied NONE = new Applied("", 0, -1);
  }

  private final EnvFileWriter writer;

  public AppliedEpochFile(Path envFile) {
    Path file = envFile.toAbsolutePath();
    this.writer = new EnvFileWriter(file.resolveSibling("." + file.getFileName()
        + ".fleet-epoch"));
  }

  /** What was applied; {@link Applied#NONE} when nothing was, or the file is damaged. */
  public Applied load() {
    try {
      String[] f = Files.readString(writer.file(), StandardCharsets.UTF_8).strip().split(" ");
      return f.length == 3 ? new Applied(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]))
          : Applied.NONE;
    } catch (NoSuchFileException e) {
      return Applied.NONE;
    } catch (IOException | NumberFormatException e) {
      return Applied.NONE;
    }
  }

  /** Records {@code applied}, atomically (temp file, fsync, rename). */
  public void save(Applied applied) throws IOException {
    writer.write(applied.cluster() + " " + applied.zxid() + " " + applied.epoch() + "\n");
  }

  public Path file() {
    return writer.file();
  }
}
