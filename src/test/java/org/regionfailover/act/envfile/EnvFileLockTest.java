package org.regionfailover.act.envfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 defect 3: one supervisor per env file. */
class EnvFileLockTest {
  @TempDir Path dir;

  @Test
  void acquire_whileHeld_failsNamingTheLockFileAndTheHoldersPid() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    try (EnvFileLock first = EnvFileLock.acquire(env, 4242)) {
      assertThat(first.file()).isEqualTo(dir.resolve(".ext_cloud.env.lock"));
      assertThat(Files.readString(first.file())).isEqualTo("4242\n");
      assertThatThrownBy(() -> EnvFileLock.acquire(env, 99))
          .isInstanceOf(EnvFileLock.HeldException.class)
          .hasMessageContaining(first.file().toString()).hasMessageContaining("pid 4242");
    }
    try (EnvFileLock again = EnvFileLock.acquire(env, 77)) {
      assertThat(Files.readString(again.file())).as("released, then taken again").isEqualTo("77\n");
    }
  }

  /** Fault campaign: a second path to the same env file (a symlink) got a lock of its own. */
  @Test
  void acquire_throughASymlinkToTheSameFile_isTheSameLock() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    Files.writeString(env, "x");
    Path other = Files.createDirectories(dir.resolve("other")).resolve("ext_cloud.env");
    Files.createSymbolicLink(other, env);
    try (EnvFileLock first = EnvFileLock.acquire(env, 4242)) {
      assertThatThrownBy(() -> EnvFileLock.acquire(other, 99))
          .isInstanceOf(EnvFileLock.HeldException.class).hasMessageContaining("pid 4242");
    }
  }

  /** Issue 9 defect 7: the marker's temp files piled up after kills. */
  @Test
  void removeLeftovers_removesTheMarkersTempFilesAndNothingElse() throws Exception {
    Path env = dir.resolve("ext_cloud.env");
    Files.writeString(dir.resolve("..ext_cloud.env.switching.1f2e.tmp"), "EU\n");
    Files.writeString(dir.resolve(".ext_cloud.env.switching"), "EU\n");
    Files.writeString(dir.resolve(".ext_cloud.env.lock"), "1\n");
    Files.writeString(env, "x");

    assertThat(new SwitchJournal(env).removeLeftovers()).isEqualTo(1);

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          ".ext_cloud.env.switching", ".ext_cloud.env.lock", "ext_cloud.env");
    }
  }
}
