package org.regionfailover.act.envfile;

import java.io.IOException;
import java.nio.file.Path;
import org.regionfailover.config.Region;
import org.regionfailover.act.ActionException;

/**
 * Child process for {@link EnvFileKillTest}: rewrites the env file named by {@code args[0]}
 * in a tight loop, alternating two regions, until it is killed. Prints {@code ready} after
 * the first complete write, so the parent never kills it before the file exists.
 */
public final class EnvFileWriterChild {
  /**
   * Hosts of 4 KiB: the rendering is then well over one tiny write, so a writer that wrote
   * in place could be caught with half a file. The lengths differ so that no mix of the two
   * renderings can pass for either.
   */
  static final Region A = new Region("EU", "e".repeat(4096) + ".eu.ext.com");
  static final Region B = new Region("NAM", "n".repeat(4200) + ".nam.ext.com");

  private EnvFileWriterChild() {}

  public static void main(String[] args) throws IOException, ActionException {
    exitWhenParentGoes();
    EnvFileWriter writer = new EnvFileWriter(Path.of(args[0]));
    writer.apply(A);
    System.out.println("ready");
    System.out.flush();
    for (long i = 1; ; i++) {
      writer.apply((i & 1) == 0 ? A : B);
    }
  }

  /** If the test JVM dies before killing us, our stdin closes: stop rather than loop forever. */
  private static void exitWhenParentGoes() {
    Thread t = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // The parent never writes; we only wait for end of stream.
        }
      } catch (IOException e) {
        // Same as end of stream.
      }
      Runtime.getRuntime().halt(3);
    }, "parent-watch");
    t.setDaemon(true);
    t.start();
  }
}
