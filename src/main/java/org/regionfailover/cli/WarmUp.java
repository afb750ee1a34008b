package org.regionfailover.cli;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.regionfailover.time.NamedThreads;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Start-up work that needs no argument, spread over the two cores a host has: a second
 * thread readies picocli (its Java 5 class files are verified at run time, even from the
 * class-data archive: about 25 ms) and then the JDK's default TLS context, which reads the
 * trust store (0.1 s), while the main thread configures logging (60 ms). Each is made once
 * per process; done one after the other on the main thread they were a third of check's
 * time. A failure here is ignored: the same call on the main path fails the same way and
 * reports it.
 */
final class WarmUp {
  private WarmUp() {}

  /** Starts the second thread, then configures logging on this one; called first by Main. */
  static void run() {
    NamedThreads.daemon("warm-up", WarmUp::background).start();
    // On the main thread, before anything can log: SLF4J hands a logger asked for while it
    // starts on another thread a stand-in, and warns on stderr when it replays its events.
    LoggerFactory.getILoggerFactory();
  }

  private static void background() {
    try {
      CommandSpec.create().addOption(OptionSpec.builder("--warm-up").arity("1").build());
    } catch (RuntimeException e) {
      // the command line reports its own problems
    }
    try {
      SSLContext.getDefault();
    } catch (NoSuchAlgorithmException | RuntimeException e) {
      // reported by the probe that needs it
    }
  }
}
