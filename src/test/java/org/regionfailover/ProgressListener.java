package org.regionfailover;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Progress of the integration tests on the build's console: a line when an integration
 * class starts and one per test as it ends, with its outcome and time. Without it a
 * class of real supervisords and ZooKeepers runs for minutes with nothing on the screen
 * (failsafe sends the tests' own output to files, and prints a class only when it ends).
 * Written to the forked JVM's own stderr, which Maven passes through as it comes; unit
 * tests (classes not ending in IT) print nothing, as there are a thousand of them.
 * Registered through META-INF/services for JUnit's launcher.
 */
public final class ProgressListener implements TestExecutionListener {
  private static final PrintStream CONSOLE =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  private final Map<String, Long> started = new ConcurrentHashMap<>();

  @Override
  public void executionStarted(TestIdentifier id) {
    id.getSource().ifPresent(source -> {
      if (source instanceof ClassSource c && integration(c.getClassName())) {
        say(simple(c.getClassName()) + ": started");
      }
    });
    if (id.isTest()) {
      started.put(id.getUniqueId(), System.nanoTime());
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    Long start = started.remove(id.getUniqueId());
    if (!id.isTest() || start == null) {
      return;
    }
    id.getSource().ifPresent(source -> {
      if (source instanceof MethodSource m && integration(m.getClassName())) {
        double seconds = (System.nanoTime() - start) / 1e9;
        say(String.format("%s > %s %s in %.1f s", simple(m.getClassName()),
            id.getDisplayName(), result.getStatus(), seconds));
      }
    });
  }

  private static boolean integration(String className) {
    return className.endsWith("IT");
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static void say(String line) {
    CONSOLE.println("[it " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
  }
}
