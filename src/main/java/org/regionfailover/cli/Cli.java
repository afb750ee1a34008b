package org.regionfailover.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.Slf4jEventLog;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line: parses flags, falls back to the environment, and runs the supervisor
 * loop. Exit codes: 0 clean stop, 1 runtime failure, 2 bad usage or configuration.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stop;
  private final EventLog log;

  /** {@code stop} is counted down by SIGTERM/SIGINT (or a test) to end the loop. */
  public Cli(Map<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop) {
    this(env, out, err, stop, new Slf4jEventLog());
  }

  /** With the event log the loop reports to (tests record it). */
  public Cli(Map<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop,
      EventLog log) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
    this.stop = stop;
    this.log = log;
  }

  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create()
        .name("region-failover")
        .version("region-failover " + Version.get())
        .mixinStandardHelpOptions(true);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(
            "Probes the active region of the external cloud every interval; after a sustained"
                + " outage, moves the host to the next region of the failover list: rewrites"
                + " the env file and restarts the application stack.",
            "Every option falls back to the environment variable named in its description;"
                + " a flag wins over the environment.")
        .footerHeading("%nEnvironment only:%n")
        .footer(footer());
    SettingOptions.addTo(spec);
    return spec;
  }

  private static String[] footer() {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (org.regionfailover.config.Setting s : org.regionfailover.config.Setting.values()) {
      if (!s.hasFlag()) {
        lines.add("  " + s.env() + "  " + s.description().replace("%", "%%"));
      }
    }
    lines.addAll(java.util.List.of("", "Exit codes:",
        "  0  stopped cleanly (SIGTERM or SIGINT)",
        "  1  runtime failure",
        "  2  bad usage or configuration"));
    return lines.toArray(String[]::new);
  }

  /** Runs with {@code args}; returns the exit code. */
  public int run(String... args) {
    CommandLine cl = new CommandLine(spec());
    ParseResult pr;
    try {
      pr = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("region-failover: " + e.getMessage());
      err.println("Try 'region-failover --help' for the options.");
      return USAGE;
    }
    if (pr.isUsageHelpRequested()) {
      cl.usage(out);
      return OK;
    }
    if (pr.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      return OK;
    }
    SettingsLoader loader = new SettingsLoader(SettingOptions.values(pr), env);
    try {
      return new LoopCommand(loader, stop, err, log).call();
    } catch (ConfigException e) {
      err.println("region-failover: " + e.getMessage());
      return USAGE;
    }
  }
}
