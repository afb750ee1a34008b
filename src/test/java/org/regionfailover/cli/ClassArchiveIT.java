package org.regionfailover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the class-data archive (AppCDS) that the build writes beside the jar: used
 * when it matches, and when it does not (another build, truncated, garbage, from another
 * place) the start is as before, with nothing on stdout or stderr.
 */
class ClassArchiveIT {
  private static final Path BUILT_JAR = Path.of("target/region-failover.jar");
  private static final Path BUILT_ARCHIVE = Path.of("target/region-failover.jsa");

  @TempDir Path dir;
  private Path jar;
  private Path archive;
  private Path stamp;

  /** A copy of the installation (bin/ and lib/), so the archive files can be spoilt. */
  @BeforeEach
  void install() throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    Files.createDirectories(dir.resolve("lib"));
    Files.copy(Path.of("bin/region-failover"), dir.resolve("bin/region-failover"),
        StandardCopyOption.COPY_ATTRIBUTES);
    jar = dir.resolve("lib/region-failover.jar");
    Files.copy(BUILT_JAR, jar, StandardCopyOption.COPY_ATTRIBUTES);
    archive = dir.resolve("lib/region-failover.jsa");
    stamp = dir.resolve("lib/region-failover.jsa.stamp");
  }

  @Test
  void builtArchive_isUsedByTheLauncher_forOurClasses() throws Exception {
    assertThat(BUILT_ARCHIVE).as("the build writes the archive (mvn package)").exists();

    Run run = run(Path.of("bin/region-failover"), "-Xlog:class+load=info", "--version");

    assertThat(run.code).isZero();
    assertThat(run.out).containsPattern(
        "org\\.regionfailover\\.cli\\.Main source: shared objects file");
  }

  @Test
  void archiveFromAnotherPlace_isRejectedByTheJvm_silently() throws Exception {
    // The built archive records target/region-failover.jar; this jar is the same bytes
    // elsewhere. A stamp that matches lets it through to the JVM's own check.
    Files.copy(BUILT_ARCHIVE, archive);
    writeMatchingStamp();

    assertPlainStart();
    assertThat(run(launcher(), "-Xlog:class+load=info", "--version").out)
        .contains("org.regionfailover.cli.Main source: file:");
  }

  @Test
  void treeCopiedWithItsDates_archiveNotPassed_theJdksOwnSharingStays() throws Exception {
    // cp -p of the built tree: jar, archive and stamp with their sizes and dates. The stamp
    // names the jar's old path, so the launcher keeps the archive out; the JVM would refuse
    // it and start with no class sharing at all, the JDK's own archive included.
    Files.copy(BUILT_ARCHIVE, archive, StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(Path.of("target/region-failover.jsa.stamp"), stamp,
        StandardCopyOption.COPY_ATTRIBUTES);

    assertPlainStart();
    assertThat(run(launcher(), "-Xlog:class+load=info", "--version").out)
        .contains("java.lang.Object source: shared objects file")
        .contains("org.regionfailover.cli.Main source: file:");
  }

  @Test
  void archiveOfAnotherBuild_isNotUsed_silently() throws Exception {
    Files.copy(BUILT_ARCHIVE, archive);
    writeMatchingStamp();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(
        Files.getLastModifiedTime(jar).toMillis() + 60_000)); // a rebuilt jar

    assertPlainStart();
  }

  @Test
  void truncatedArchive_isNotUsed_theJvmWouldCrashOnIt() throws Exception {
    Files.copy(BUILT_ARCHIVE, archive);
    writeMatchingStamp();
    byte[] all = Files.readAllBytes(archive);
    archive.toFile().setWritable(true);
    Files.write(archive, Arrays.copyOf(all, all.length / 3));

    assertPlainStart();
  }

  @Test
  void garbageArchive_withAMatchingStamp_isRejectedByTheJvm_silently() throws Exception {
    byte[] garbage = new byte[4 << 20];
    new java.util.Random(7).nextBytes(garbage);
    Files.write(archive, garbage);
    writeMatchingStamp();

    assertPlainStart();
  }

  @Test
  void noArchive_orNoStamp_startsAsBefore() throws Exception {
    assertPlainStart();
    Files.copy(BUILT_ARCHIVE, archive);
    assertPlainStart();
  }

  /** --version prints exactly the version, nothing on stderr, and exit 0; so does check. */
  private void assertPlainStart() throws Exception {
    Run version = run(launcher(), null, "--version");
    assertThat(version.code).isZero();
    assertThat(version.out).matches("region-failover \\S+\n");
    assertThat(version.err).isEmpty();

    // check without settings: the configuration error, plain, as without an archive.
    Run check = run(launcher(), null, "check");
    assertThat(check.code).isEqualTo(Cli.USAGE);
    assertThat(check.out).isEmpty();
    assertThat(check.err).startsWith("region-failover: ").doesNotContain("warning", "cds");
  }

  /** The stamp the launcher writes: the jar's path; size and mtime of jar, archive, libjvm. */
  private void writeMatchingStamp() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    Path libjvm = java.getParent().getParent().resolve("lib/server/libjvm.so");
    StringBuilder s = new StringBuilder(jar.toRealPath() + ";");
    for (Path p : new Path[] {jar, archive, libjvm}) {
      s.append(Files.size(p)).append(':')
          .append(Files.getLastModifiedTime(p).toMillis() / 1000).append(';');
    }
    Files.writeString(stamp, s + "\n");
  }

  private Path launcher() {
    return dir.resolve("bin/region-failover");
  }

  private record Run(int code, String out, String err) {}

  private Run run(Path launcher, String javaOpts, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = launcher.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("EXT_CLOUD") || k.startsWith("FAILOVER_")
        || k.startsWith("DD_") || k.equals("REGION_FAILOVER_JAR") || k.equals("JAVA_OPTS"));
    if (javaOpts != null) {
      env.put("JAVA_OPTS", javaOpts);
    }
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
    return new Run(p.exitValue(),
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }
}
