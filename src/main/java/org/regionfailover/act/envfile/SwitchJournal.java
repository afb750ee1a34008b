package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import org.regionfailover.config.Region;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;

/**
 * A marker beside the env file that says a switch is under way. A switch cut short
 * (SIGTERM after the grace, a crash, a power cut) can leave some programs on the old
 * region while the env file names the new one; at the next start the marker tells the
 * supervisor to restart the whole stack instead of only starting what is not running.
 */
public final class SwitchJournal {
  private final Path marker;
  private final EnvFileWriter writer;

  public SwitchJournal(Path envFile) {
    Path file = Objects.requireNonNull(envFile, "envFile").toAbsolutePath();
    this.marker = file.resolveSibling("." + file.getFileName() + ".switching");
    this.writer = new EnvFileWriter(marker);
  }

  /** The region of a switch that did not finish, if one did not. */
  public Optional<String> pending() {
    try {
      return Optional.of(Files.readString(marker, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The first step of a switch: records it before anything changes. */
  public Action begin() {
    return new Step("switch_begin") {
      @Override
      public void apply(Region target) throws ActionException {
        try {
          writer.write(target.name() + "\n");
        } catch (IOException e) {
          throw new ActionException("cannot write " + marker + ": " + e, e);
        }
      }
    };
  }

  /** The last step of a switch: the stack now matches the env file. */
  public Action end() {
    return new Step("switch_end") {
      @Override
      public void apply(Region target) throws ActionException {
        try {
          Files.deleteIfExists(marker);
          try (FileChannel dir = FileChannel.open(marker.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
          }
        } catch (IOException e) {
          throw new ActionException("cannot remove " + marker + ": " + e, e);
        }
      }
    };
  }

  /** Deletes temp files of the marker that a killed writer left behind; returns how many. */
  public int removeLeftovers() throws IOException {
    return writer.removeLeftovers();
  }

  public Path marker() {
    return marker;
  }

  private abstract static class Step implements Action {
    private final String name;

    Step(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }
}
