package org.regionfailover.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;

/**
 * Writes, at build time ({@code package} phase, see pom.xml), what the Debian package
 * installs beside the program: the bash completion script ({@code region-failover}, for
 * /usr/share/bash-completion/completions) and the manual page ({@code region-failover.1.gz},
 * for /usr/share/man/man1), both from the command definitions the program itself parses
 * with. Run: {@code java -cp region-failover.jar org.regionfailover.cli.ShellDocs DIR}.
 */
public final class ShellDocs {
  static final String COMPLETION = "region-failover";
  static final String MAN_PAGE = "region-failover.1.gz";

  private ShellDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ShellDocs DIR");
      System.exit(Cli.USAGE);
    }
    write(Path.of(args[0]));
  }

  /** Writes both files into {@code dir}, each whole or not at all. */
  static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    CommandLine root = new CommandLine(Cli.spec());
    byte[] completion = CompletionCommand.script(root).getBytes(StandardCharsets.UTF_8);
    atomically(dir.resolve(COMPLETION), out -> out.write(completion));
    byte[] page = new ManPage(root.getCommandSpec(), "region-failover " + Version.get())
        .render().getBytes(StandardCharsets.UTF_8);
    // GZIPOutputStream writes no name and a zero time: the same page gives the same bytes,
    // as Debian asks of gzip -n.
    atomically(dir.resolve(MAN_PAGE), out -> {
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(page);
      }
    });
  }

  private interface Writing {
    void to(OutputStream out) throws IOException;
  }

  private static void atomically(Path target, Writing writing) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writing.to(out);
      }
      // Readable by all, as installed (a temp file starts owner-only).
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
