package org.regionfailover.act.envfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.regionfailover.config.Region;
import org.regionfailover.decide.EnvFileReading;

/** The env file is written with the exact content and mode 0644, and read back without throwing. */
class EnvFileWriterTest {
  private static final Region EU = new Region("eu", "cloud.eu.ext.com");
  private static final Region NAM = new Region("NAM", "cloud.nam.ext.com");

  @TempDir Path dir;

  /** Named like the production default, so that temp files are {@code .ext_cloud.env.*.tmp}. */
  private Path file() {
    return dir.resolve("ext_cloud.env");
  }

  @Test
  void apply_newFile_writesExactlyTheTwoExportLines() throws Exception {
    new EnvFileWriter(file()).apply(EU);

    assertThat(Files.readString(file(), StandardCharsets.UTF_8))
        .isEqualTo("export EXT_CLOUD=cloud.eu.ext.com\nexport EXT_REGION=EU\n");
  }

  @Test
  void apply_newFile_hasMode0644() throws Exception {
    new EnvFileWriter(file()).apply(EU);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void apply_existingFileWithMode0600_isReplacedByA0644File() throws Exception {
    // Stands in for a restrictive umask: Java cannot change the umask, but a 0600 file
    // left by an earlier writer must not keep the stack's user from reading the new one.
    Files.writeString(file(), "export EXT_CLOUD=old\nexport EXT_REGION=OLD\n");
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));

    new EnvFileWriter(file()).apply(NAM);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readString(file())).isEqualTo(EnvFile.render(NAM));
  }

  @Test
  void apply_existingFile_isReplacedWholeAndNoTempFileRemains() throws Exception {
    Files.writeString(file(), "a much longer previous content than the new one will be\n".repeat(20));
    EnvFileWriter writer = new EnvFileWriter(file());

    writer.apply(EU);
    writer.apply(NAM);

    assertThat(Files.readString(file())).isEqualTo(EnvFile.render(NAM));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ext_cloud.env");
    }
  }

  @Test
  void removeLeftovers_tempFilesOfThisEnvFile_deletesOnlyThose() throws Exception {
    Files.writeString(file(), EnvFile.render(EU));
    Files.writeString(dir.resolve(".ext_cloud.env.1a2b3c.tmp"), "export EXT_CLO");
    Files.writeString(dir.resolve(".ext_cloud.env.ffffffffffffffff.tmp"), "");
    Files.writeString(dir.resolve(".other.env.1a2b3c.tmp"), "keep");
    Files.writeString(dir.resolve("ext_cloud.env.1a2b3c.tmp"), "keep");
    Files.writeString(dir.resolve(".ext_cloud.env.1a2b3c.bak"), "keep");
    Files.writeString(dir.resolve(".ext_cloud.env"), "keep");

    int removed = new EnvFileWriter(file()).removeLeftovers();

    assertThat(removed).isEqualTo(2);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "ext_cloud.env", ".other.env.1a2b3c.tmp", "ext_cloud.env.1a2b3c.tmp",
          ".ext_cloud.env.1a2b3c.bak", ".ext_cloud.env");
    }
    assertThat(Files.readString(file())).isEqualTo(EnvFile.render(EU));
  }

  @Test
  void read_missingFile_isMissing() {
    assertThat(EnvFile.read(file())).isEqualTo(new EnvFileReading.Missing());
  }

  @Test
  void read_binaryGarbage_isUnusable() throws Exception {
    Files.write(file(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3, '\n'});

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }

  @Test
  void read_textThatIsNotAnEnvFile_isUnusable() throws Exception {
    Files.writeString(file(), "hello\nworld\n");

    assertThat(EnvFile.read(file())).isEqualTo(new EnvFileReading.Unusable("not exactly the two"
        + " lines this program writes (export EXT_CLOUD=<host>, export EXT_REGION=<REGION>);"
        + " found \"hello\\nworld\\n\""));
  }

  @Test
  void read_emptyFile_isUnusable() throws Exception {
    Files.writeString(file(), "");

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }

  @Test
  void read_onlyTheHostLine_isUnusableNamingTheMissingRegion() throws Exception {
    Files.writeString(file(), "export EXT_CLOUD=cloud.eu.ext.com\n");

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }

  @Test
  void read_onlyTheRegionLine_isUnusableNamingTheMissingHost() throws Exception {
    Files.writeString(file(), "export EXT_REGION=EU\n");

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }

  @Test
  void read_fileItWrote_roundTripsRegionAndHost() throws Exception {
    new EnvFileWriter(file()).apply(NAM);

    assertThat(EnvFile.read(file())).isEqualTo(new EnvFileReading.Names("NAM", "cloud.nam.ext.com"));
  }

  @Test
  void read_quotedValuesWithoutExport_areNotWhatThisProgramWrites() throws Exception {
    Files.writeString(file(), "EXT_CLOUD=\"cloud.eu.ext.com\"\r\nexport EXT_REGION='EU'\r\n");

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }

  /** Issue 9 defect 4: a file with a command in it was adopted, and the stack ran it. */
  @Test
  void read_ourTwoLinesPlusACommand_isUnusableShowingTheLineEscaped() throws Exception {
    Files.writeString(file(), EnvFile.render(EU) + "touch /tmp/x\n");

    assertThat(EnvFile.read(file())).isInstanceOfSatisfying(EnvFileReading.Unusable.class,
        u -> assertThat(u.problem()).contains("touch /tmp/x\\n").doesNotContain("\n"));
  }

  /** Issue 9 defect 4: a value that is a command substitution was adopted. */
  @Test
  void read_commandSubstitutionAsHost_isUnusable() throws Exception {
    Files.writeString(file(), "export EXT_CLOUD=$(touch /tmp/x)\nexport EXT_REGION=EU\n");

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }

  @Test
  void read_fileLargerThan64KiB_isUnusable() throws Exception {
    Files.writeString(file(), EnvFile.render(EU) + "#".repeat(70_000));

    assertThat(EnvFile.read(file())).isInstanceOf(EnvFileReading.Unusable.class);
  }
}
