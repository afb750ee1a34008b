package org.regionfailover.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.FileConfigSource;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.JsonLogConfigurator;
import org.regionfailover.report.Slf4jEventLog;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line: parses flags, falls back to the environment, and runs the supervisor
 * loop, or one of its commands ({@code check}, {@code demo}, {@code replay}). Exit codes: 0
 * clean stop (check: healthy), 1 runtime failure (check: unhealthy), 2 bad usage or
 * configuration (replay: or an input that cannot be read).
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** The settings {@code demo} takes: how its events are shown, not how its loop runs. */
  /** The settings a demo takes: its console's, and who may give commands on its pages. */
  static final List<Setting> DEMO_SETTINGS = List.of(Setting.LOG_FORMAT, Setting.VERBOSE,
      Setting.HTPASSWD);

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stop;
  private final EventLog log;
  private ReloadRequests reloads = new ReloadRequests();

  /** {@code stop} is counted down by SIGTERM/SIGINT (or a test) to end the loop. */
  public Cli(Map<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop) {
    this(env, out, err, stop, new Slf4jEventLog());
  }

  /** With the event log the loop reports to (tests record it). */
  public Cli(Map<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop,
      EventLog log) {
    this(env, System.in, out, err, stop, log);
  }

  /** With the standard input that {@code replay -} reads (tests feed it). */
  public Cli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
      CountDownLatch stop, EventLog log) {
    this.env = Map.copyOf(env);
    this.in = in;
    this.out = out;
    this.err = err;
    this.stop = stop;
    this.log = log;
  }

  /** Where SIGHUP's requests to reload go (made first thing in main); the loop takes them. */
  Cli reloads(ReloadRequests requests) {
    this.reloads = requests;
    return this;
  }

  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create()
        .name("region-failover")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    StandardHelp.shortCommandList(spec);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(
            "Probes the active region of the external cloud every interval; after a sustained"
                + " outage, moves the host to the next region of the failover list: rewrites"
                + " the env file and restarts the application stack.",
            "Every option falls back to the environment variable named in its description."
                + " Precedence, highest first: the command line, the settings file (--config;"
                + " a set's file, then the settings file), the environment, the defaults.");
    StandardHelp.exitCodes(spec,
        "0", "stopped cleanly (SIGTERM or SIGINT)",
        "1", "runtime failure",
        "2", "bad usage or configuration");
    SettingOptions.addTo(spec);
    spec.addSubcommand("check", checkSpec());
    spec.addSubcommand("demo", demoSpec());
    spec.addSubcommand("replay", ReplayHelp.spec());
    spec.addSubcommand("status", statusSpec());
    spec.addSubcommand("reload", reloadSpec());
    spec.addSubcommand("archive-classes", archiveSpec());
    // The operator's commands (hold, release, failback, move, resign): OperatorHelp.
    OperatorHelp.specs().forEach(s -> spec.addSubcommand(s.name(), s));
    // A command that reads settings adds them with SettingOptions.addTo(spec, shown,
    // required): it accepts every one, its help lists those it reads. Exit codes with
    // StandardHelp.exitCodes. Last: help's COMMAND is one of those above.
    spec.addSubcommand(CompletionCommand.NAME, CompletionCommand.spec());
    spec.addSubcommand(HelpCommand.NAME, HelpCommand.spec(spec.subcommands().keySet()));
    return spec;
  }

  private static CommandSpec statusSpec() {
    CommandSpec spec = CommandSpec.create()
        .name("status")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(
            "Where the running supervisor stands, for a person: asks its status server"
                + " (--listen, FAILOVER_LISTEN; https with the certificate of --tls-cert) for"
                + " /status and prints the active region and state, the hold, the outage clock,"
                + " the budget, the fail-back to come, the regions, the components and the last"
                + " transitions. Reads the same settings and environment as the loop; only the"
                + " listener's are used.");
    StandardHelp.exitCodes(spec,
        "0", "every component healthy",
        "1", "a component is not (GET /health would answer FAIL)",
        "2", "bad usage or configuration (e.g. the listener is off)",
        "3", "not running: nothing answers on the listener's address");
    spec.addOption(OptionSpec.builder("--json")
        .description("Print the raw /status document (JSON) instead of the table.")
        .build());
    SettingOptions.addTo(spec, EnumSet.of(Setting.LISTEN, Setting.TLS_CERT), Set.of());
    return spec;
  }

  private static CommandSpec reloadSpec() {
    CommandSpec spec = CommandSpec.create()
        .name("reload")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(
            "Asks the running supervisor to read its settings files again: sends SIGHUP to"
                + " the process that holds the env file's lock (--env-file,"
                + " EXT_CLOUD_ENV_FILE; its pid is in the lock file beside it). Its log then"
                + " says reload_applied (with each changed setting), reload_unchanged or"
                + " reload_rejected (and why: nothing changed). Reads the same settings and"
                + " environment as the loop; only the env file's is used.");
    StandardHelp.exitCodes(spec,
        "0", "signalled",
        "1", "the signal could not be sent (e.g. another user's process), or the process"
            + " ignores SIGHUP (started under nohup: use POST /reload)",
        "2", "bad usage or configuration, or the process runs with another settings file"
            + " (it would read that one)",
        "3", "not running: no process holds the env file's lock");
    SettingOptions.addTo(spec, EnumSet.of(Setting.ENV_FILE, Setting.SETS_DIR), Set.of());
    return spec;
  }

  private static CommandSpec checkSpec() {
    CommandSpec spec = CommandSpec.create()
        .name("check")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.usageMessage().sortOptions(false);
    spec.usageMessage()
        .description(
            "One-shot health check for cron and monitoring; needs no supervisord.",
            "",
            "Reads the active region from the env file (when the file is missing or unusable:"
                + " the first region of the order, i.e. the preferred one; its directory must"
                + " exist, as the loop writes the file there: exit 2 says what to create), probes its"
                + " cloudlookup endpoint once exactly as the loop does, and checks that each"
                + " region's host accepts a TLS connection with a verified certificate (port"
                + " 443, or the port of a REGION=host:port item of the failover list).",
            "",
            "Prints a table (region, host, active, check, result, latency), or JSON with"
                + " --json. Takes the same settings and environment variables as the loop;"
                + " settings only the loop uses are validated, not used.");
    StandardHelp.exitCodes(spec,
        "0", "the active region is healthy (its cloudlookup probe answered 200)",
        "1", "the active region is not healthy; TLS results of the regions are reported but"
            + " do not change the exit code, as they do not move the loop",
        "2", "bad usage or configuration");
    spec.addOption(OptionSpec.builder("--offline")
        .description("Only validate the settings (the settings file, its sets directory, the"
            + " flags and the environment), touching no network: print one line per set and"
            + " exit 0, or list every problem, one line each, and exit 2.")
        .build());
    spec.addOption(OptionSpec.builder("--json")
        .description("Print one JSON object (with several sets: one per set, one per line,"
            + " each with a set field): active_region, active_source, healthy, and"
            + " regions[] with region, host, active, tls{healthy, result, latency_ms, port},"
            + " and for the active region cloudlookup{healthy, result, latency_ms, status, url}.")
        .build());
    SettingOptions.addTo(spec, CheckCommand.SETTINGS, EnumSet.of(Setting.FAILOVER_LIST));
    return spec;
  }

  private static CommandSpec archiveSpec() {
    CommandSpec spec = CommandSpec.create()
        .name("archive-classes")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.usageMessage().description(
        "Writes the class-data archive that makes the supervisor start faster, beside the jar"
            + " (region-failover.jsa). Run through the launcher, which records the archive"
            + " from this training run: check and the loop against a loopback cloud for a few"
            + " seconds. The launcher uses the archive when it matches the jar and the JVM,"
            + " and starts without it otherwise. The Debian package runs it on install.");
    StandardHelp.exitCodes(spec,
        "0", "trained (the launcher then writes the archive)",
        "1", "the training run failed",
        "2", "bad usage (it takes no settings)");
    return spec;
  }

  private static CommandSpec demoSpec() {
    CommandSpec spec = CommandSpec.create()
        .name("demo")
        .version("region-failover " + Version.get());
    StandardHelp.addTo(spec);
    spec.addOption(OptionSpec.builder("--fleet").paramLabel("N").type(int.class)
        .description("Instead: N supervisors (2-9) in this process coordinate through an"
            + " embedded ZooKeeper; EU goes down for a majority of them, one fleet decision"
            + " moves them all, then the decider stops and another host takes over. Under"
            + " 60 s; the steps are printed on stderr, the log on stdout (text on a terminal, else"
            + " JSON; ZooKeeper's own lines on stderr).")
        .build());
    SettingOptions.addOnly(spec, DEMO_SETTINGS);
    spec.addOption(OptionSpec.builder("--stay")
        .description("After the scenario, keep the supervisor and its status page running"
            + " (on APAC) until Ctrl-C or SIGTERM, to look around the page at leisure; with"
            + " --fleet, every host still running, their pages' URLs printed.")
        .build());
    spec.usageMessage()
        .description(
            "Shows two failovers end to end on this machine in about 25 s; nothing to"
                + " configure, no network needed.",
            "",
            "Runs the real supervisor loop (the code the service runs) against three"
                + " simulated regions, NAM, EU and APAC, served by a small HTTP server on"
                + " 127.0.0.1; the probe URL selects the region with {region}. Settings: a"
                + " temporary env file, probe interval 1 s, outage threshold 5 s, preferred"
                + " region EU (order EU, NAM, APAC).",
            "",
            "A few seconds in, EU goes down (its endpoint answers 503): the log shows the"
                + " failed probes, the outage, the failover to NAM and the restart of the"
                + " stack. Then NAM goes down and the host fails over to APAC. The demo then"
                + " stops by itself and prints a summary: regions visited, how long each"
                + " outage took to detect, and how long each restart took.",
            "",
            "Restarts go to a real supervisord that the demo starts in its temp directory"
                + " when supervisord is on PATH: group app with stunnel, cloud-client and"
                + " application, each sourcing the env file and then exec'ing sleep,"
                + " autostart=false, startsecs=1, unix socket in the temp directory. Without"
                + " supervisord the demo says so and runs in dry run: failovers are decided"
                + " and logged, nothing is written or restarted.",
            "",
            "The status server listens on a free loopback port; its URL is printed on stderr"
                + " (status page: http://127.0.0.1:PORT/) so you can watch the failover there,"
                + " first and again last; the address is also in the file listen beside the"
                + " demo's env file. With --stay the last lines say how to ask it from a shell"
                + " (region-failover status --listen 127.0.0.1:PORT).",
            "",
            "On a terminal stdout shows one short line per event that matters (the probes"
                + " only when a region's health changes; --verbose shows them all); piped, it"
                + " carries the JSON log lines, as in production (pipe them to jq), and"
                + " --log-format chooses. The summary goes to stderr after them, so stdout"
                + " stays one event per line; its last lines are the outcome and the status"
                + " page's address. Ctrl-C or SIGTERM stops the demo early; supervisord is"
                + " stopped and the temp directory deleted either way. The loop's settings"
                + " and environment variables are ignored, but for --log-format and"
                + " --verbose.");
    StandardHelp.exitCodes(spec,
        "0", "scenario complete (with --stay: then stopped by Ctrl-C or SIGTERM), or stopped"
            + " early by Ctrl-C or SIGTERM",
        "1", "the scenario did not complete in time, or the demo could not run");
    return spec;
  }

  /** The demo's {@code --htpasswd FILE} (the flag only, not the environment), or empty. */
  private static java.util.Optional<java.nio.file.Path> demoHtpasswd(Map<Setting, String> flags) {
    return java.util.Optional.ofNullable(flags.get(Setting.HTPASSWD)).map(java.nio.file.Path::of);
  }

  /** Runs with {@code args}; returns the exit code. */
  public int run(String... args) {
    CommandLine cl = new CommandLine(spec());
    ParseResult pr;
    try {
      pr = cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      // picocli quotes the offending argument as typed: a newline in it stays one line here.
      err.println("region-failover: " + ConfigException.escaped(e.getMessage()));
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName()
          + " --help' for the options.");
      return USAGE;
    }
    ParseResult command = pr.hasSubcommand() ? pr.subcommand() : pr;
    CommandLine commandLine = command.commandSpec().commandLine();
    if (pr.isUsageHelpRequested() || command.isUsageHelpRequested()) {
      (pr.isUsageHelpRequested() ? cl : commandLine).usage(out);
      return OK;
    }
    if (pr.isVersionHelpRequested() || command.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      return OK;
    }
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.putAll(SettingOptions.values(pr));
    // Like the settings, --config may come before or after the command; after wins.
    String config = SettingOptions.config(command) != null ? SettingOptions.config(command)
        : SettingOptions.config(pr);
    try {
      switch (command.commandSpec().name()) {
        case HelpCommand.NAME -> {
          return HelpCommand.call(cl, command, out, err);
        }
        case CompletionCommand.NAME -> {
          return CompletionCommand.call(cl, command, out, err);
        }
        case "archive-classes" -> {
          if (!flags.isEmpty() || config != null) {
            err.println("region-failover archive-classes: takes no settings (it uses its own)");
            return USAGE;
          }
          return new ClassTraining(env, err).call();
        }
        case "demo" -> {
          flags.putAll(SettingOptions.values(command));
          List<Setting> others = flags.keySet().stream()
              .filter(s -> !DEMO_SETTINGS.contains(s)).toList();
          if (!others.isEmpty() || config != null) {
            err.println("region-failover demo: takes no settings (it uses its own) but "
                + DEMO_SETTINGS.stream().map(Setting::flag).toList() + ", got "
                + others.stream().map(Setting::flag).toList());
            return USAGE;
          }
          // The console's settings from the flags and the environment; the loop's are the demo's.
          JsonLogConfigurator.useConsole(new SettingsLoader(flags, env).console());
          // A demo runs in a terminal and reloads nothing: a SIGHUP (the terminal closed)
          // stops it as before, though cleanly, rather than leave it running unseen.
          reloads.instead(stop::countDown);
          if (command.hasMatchedOption("--fleet")) {
            int n = command.matchedOptionValue("--fleet", 0);
            if (n < 2 || n > 9) {
              err.println("region-failover demo: --fleet takes 2 to 9 hosts, got " + n);
              return USAGE;
            }
            return new DemoCommand(env, err, stop, log, command.hasMatchedOption("--stay"))
                .htpasswd(demoHtpasswd(flags)).callFleet(n);
          }
          return new DemoCommand(env, err, stop, log, command.hasMatchedOption("--stay"))
              .htpasswd(demoHtpasswd(flags)).call();
        }
        case "check" -> {
          // Settings may come before or after the word "check"; after wins.
          flags.putAll(SettingOptions.values(command));
          FileConfigSource source = new FileConfigSource(flags, config, env, false);
          if (command.hasMatchedOption("--offline")) {
            return new OfflineCheck(source, out, err).call();
          }
          ProcessConfiguration process = source.load();
          // The files the loop would read too: check vouches for its whole configuration.
          OfflineCheck.security(source);
          int code = OK;
          for (SetConfiguration set : process.sets()) {
            code = Math.max(code, new CheckCommand(set, process.multiSet(),
                command.hasMatchedOption("--json"), out).call());
          }
          return code;
        }
        case "status" -> {
          flags.putAll(SettingOptions.values(command));
          SettingsLoader main = new FileConfigSource(flags, config, env, false).mainLoader();
          ListenerSettings listener;
          try {
            listener = main.listener();
          } catch (ConfigException e) {
            throw main.located(e);
          }
          return StatusCommand.of(listener, command.hasMatchedOption("--json"), out, err).call();
        }
        case "hold", "release", "failback", "move", "resign" -> {
          // The operator's commands: the listener found as status finds it.
          flags.putAll(SettingOptions.values(command));
          return OperatorCommand.of(command, new FileConfigSource(flags, config, env, false),
              env, OperatorPassword.Terminal.console(), out, err).call();
        }
        case "reload" -> {
          flags.putAll(SettingOptions.values(command));
          // Read as the running process will: a file it would reject is not worth a
          // signal, and the process is found through the lock of a set's env file (it holds
          // every set's; a set just added to the directory it does not hold yet).
          FileConfigSource.Validation checked =
              new FileConfigSource(flags, config, env, false).validate();
          if (!checked.problems().isEmpty()) {
            checked.problems().forEach(p -> err.println("region-failover: " + p.getMessage()));
            if (config == null && env.get(FileConfigSource.CONFIG_ENV) == null) {
              // Most likely the operator forgot the file, not that the process is broken.
              err.println("region-failover reload: no settings file: neither --config nor"
                  + " FAILOVER_CONFIG is given; name the file the running process was started"
                  + " with (--config /etc/region-failover/region-failover.env)");
              return USAGE;
            }
            err.println("region-failover reload: not signalled: the running process would"
                + " reject these settings (reload_rejected) and keep its own; fix them first");
            return USAGE;
          }
          List<java.nio.file.Path> envFiles = checked.process().sets().stream()
              .map(set -> set.config().settings().envFile()).toList();
          String named = config != null ? config : env.get(FileConfigSource.CONFIG_ENV);
          Optional<java.nio.file.Path> settingsFile = Optional.ofNullable(named)
              .map(f -> java.nio.file.Path.of(f.strip()).toAbsolutePath().normalize());
          return new ReloadCommand(envFiles, settingsFile, java.nio.file.Path.of("/proc"), out,
              err).call();
        }
        case "replay" -> {
          // The settings file's values count as given, below the flags; not the sets.
          flags.putAll(SettingOptions.values(command));
          FileConfigSource source = new FileConfigSource(flags, config, env, false);
          Map<Setting, String> given = new EnumMap<>(Setting.class);
          given.putAll(source.fileValues());
          given.putAll(flags);
          try {
            return new ReplayCommand(given, env, command.matchedPositional(0).stringValues(),
                command.matchedOptionValue(ReplayCommand.SET, null), in, out, err).call();
          } catch (ConfigException e) {
            throw source.mainLoader().located(e);
          }
        }
        default -> {
          // Before supervisord is even asked: a bad setting is exit 2 within startsecs.
          FileConfigSource source = new FileConfigSource(flags, config, env, true);
          ProcessConfiguration process = source.load();
          JsonLogConfigurator.useConsole(source.mainLoader().console());
          return new LoopCommand(source, process, source.warnings(), stop, err, log,
              false).reloads(reloads).call();
        }
      }
    } catch (ConfigException e) {
      err.println("region-failover: " + e.getMessage());
      return USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
  }
}
