package org.regionfailover.cli;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.RegionProbeSettings;
import org.regionfailover.config.SetConfiguration;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.replay.EventLineWriter;
import org.regionfailover.replay.LineCounts;
import org.regionfailover.replay.ProbeLogReader;
import org.regionfailover.replay.Replay;
import org.regionfailover.replay.ReplayStats;
import org.regionfailover.replay.SetFilter;
import org.regionfailover.replay.SeveralSetsException;
import org.regionfailover.replay.StartupSettings;
import org.regionfailover.report.SetEventLog;

/**
 * {@code region-failover replay FILE...}: recorded probes through the decide core with the
 * settings the log's startup line records (those given override them), decisions as the
 * loop's JSON lines on stdout, a summary on stderr. It touches nothing: no env file, no
 * lock, no supervisord, no Datadog, no network.
 */
final class ReplayCommand {
  /** The option naming the failover set replayed. */
  static final String SET = "--set";
  /** The input name that reads standard input. */
  static final String STDIN = "-";
  /**
   * The settings a replay takes from the log's startup line: those the rules read, and the
   * service name its lines carry. Not the others: they describe the recording's host (its
   * files, supervisord, listener), which a replay never touches and may not have.
   */
  static final List<Setting> FROM_LOG = List.of(Setting.FAILOVER_LIST, Setting.REGION,
      Setting.INTERVAL, Setting.OUTAGE_THRESHOLD, Setting.PROBE_TIMEOUT, Setting.REGION_PROBE,
      Setting.REGION_INTERVAL, Setting.FAILURE_RATIO, Setting.FAILBACK, Setting.FAILBACK_AFTER,
      Setting.MAX_TRANSITIONS, Setting.LATENCY_LIMIT, Setting.TRAFFIC_SOURCE,
      Setting.TRAFFIC_MIN_VOLUME, Setting.TRAFFIC_FAILURE_RATIO, Setting.TRAFFIC_VETO,
      Setting.DD_SERVICE);
  /**
   * The settings of where the recording's traffic evidence came from: the replay reads its
   * {@code traffic} lines instead, so they describe the recording's host only (see
   * {@link #loader}).
   */
  private static final List<Setting> TRAFFIC_SOURCES = List.of(Setting.EVIDENCE_TOKEN_FILE,
      Setting.TRAFFIC_ERROR_PATTERN, Setting.TRAFFIC_OK_PATTERN);

  private final Map<Setting, String> flags;
  private final Map<String, String> env;
  private final List<String> inputs;
  /** The failover set replayed ({@code --set}); null: the log's one set. */
  private final String set;
  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;

  ReplayCommand(Map<Setting, String> flags, Map<String, String> env, List<String> inputs,
      InputStream stdin, PrintStream out, PrintStream err) {
    this(flags, env, inputs, null, stdin, out, err);
  }

  /** {@code set}: the failover set whose lines are replayed ({@code --set}); null: the one. */
  ReplayCommand(Map<Setting, String> flags, Map<String, String> env, List<String> inputs,
      String set, InputStream stdin, PrintStream out, PrintStream err) {
    this.set = set;
    this.flags = Map.copyOf(flags);
    this.env = Map.copyOf(env);
    this.inputs = List.copyOf(inputs);
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  /**
   * The flags for the settings loader: those given, plus stand-ins for the settings that
   * only describe the host the loop runs on, which a replay never touches. The env file is
   * always replaced (a replay on a laptop must not fail because /opt/application/tmp does
   * not exist there); the probe ids only when not given at all.
   */
  static Map<Setting, String> withHostStandIns(Map<Setting, String> flags,
      Map<String, String> env) {
    Map<Setting, String> out = new java.util.EnumMap<>(Setting.class);
    out.putAll(flags);
    out.put(Setting.ENV_FILE, Path.of(System.getProperty("java.io.tmpdir"))
        .resolve("region-failover-replay.env").toString());
    for (Setting s : List.of(Setting.ORG_ID, Setting.TXN_ID)) {
      if (!flags.containsKey(s) && env.get(s.env()) == null) {
        out.put(s, "replay");
      }
    }
    return out;
  }

  /**
   * The loader of a replay's settings: {@code settings} with the host's stand-ins. The
   * traffic rules apply as the log's source says (on unless {@code off}), but its sources
   * are the recording host's: a {@code log:PROGRAM} of its {@code --programs}, its token
   * file, its patterns, which the replaying machine need not have and which the loader
   * would check. The replay reads their counts from the {@code traffic} lines, so any
   * source but {@code off} becomes {@code endpoint} (which needs nothing), and the token
   * file and the patterns are dropped, given or in the environment alike.
   */
  static SettingsLoader loader(Map<Setting, String> settings, Map<String, String> env) {
    Map<Setting, String> flags = withHostStandIns(settings, env);
    Map<String, String> rest = new java.util.HashMap<>(env);
    String source = flags.getOrDefault(Setting.TRAFFIC_SOURCE,
        env.get(Setting.TRAFFIC_SOURCE.env()));
    if (source != null) {
      flags.put(Setting.TRAFFIC_SOURCE,
          source.strip().equalsIgnoreCase("off") ? "off" : "endpoint");
    }
    for (Setting s : TRAFFIC_SOURCES) {
      flags.remove(s);
      rest.remove(s.env());
    }
    return new SettingsLoader(flags, rest);
  }

  /** Whether {@code s} was given here, by flag or variable. */
  private boolean given(Setting s) {
    return flags.containsKey(s) || env.get(s.env()) != null;
  }

  int call() {
    if (set != null && !SetConfiguration.NAME.matcher(set).matches()) {
      throw ConfigException.badValue(SET, set, "a set's name: 1 to 63 letters, digits, '.',"
          + " '_' or '-' (the NAME of sets.d/NAME.env, or default for a process of one set)");
    }
    List<InputStream> streams = new ArrayList<>();
    try {
      StartupSettings startup = null;
      SortedSet<String> sets = new TreeSet<>();
      for (String name : inputs) {
        InputStream raw = open(name);
        StartupSettings.Head head;
        try {
          InputStream in = ProbeLogReader.decoded(raw);
          streams.add(in);
          head = StartupSettings.head(in);
        } catch (IOException e) {
          raw.close();
          throw new IOException("cannot read " + name + ": " + e.getMessage(), e);
        }
        sets.addAll(head.sets());
        StartupSettings found = head.startup(set).orElse(null);
        if (found != null && (startup == null || found.at().isBefore(startup.at()))) {
          startup = found; // the earliest: rotated logs may be given in any order
        }
      }
      String wrongSet = wrongSet(sets);
      if (wrongSet != null) {
        err.println("region-failover replay: " + wrongSet);
        return Cli.USAGE;
      }
      if (startup == null && !given(Setting.FAILOVER_LIST)) {
        err.println("region-failover replay: no startup line in " + String.join(", ", inputs)
            + " to take the settings from (the loop logs one, with every setting, when it"
            + " starts): give the settings the loop ran with, at least "
            + Setting.FAILOVER_LIST.label());
        return Cli.USAGE;
      }
      Map<Setting, String> settings = new java.util.EnumMap<>(Setting.class);
      if (startup != null) {
        for (Setting s : FROM_LOG) {
          String v = startup.byVariable().get(s.env());
          if (v != null && !given(s)) {
            settings.put(s, v);
          }
        }
      }
      settings.putAll(flags);
      SettingsLoader loader = loader(settings, env);
      loader.validateAll();
      ReplayReloads reloads = new ReplayReloads(settings,
          FROM_LOG.stream().filter(this::given).collect(Collectors.toSet()), env);
      return replay(loader, streams, describe(startup) + (fleetMember(startup)
          ? "; a fleet member: failovers and fail-backs are the fleet's moves in the log" : ""),
          fleetMember(startup), reloads);
    } catch (IOException e) {
      err.println("region-failover replay: " + e.getMessage());
      return Cli.USAGE;
    } finally {
      for (InputStream in : streams) {
        try {
          in.close();
        } catch (IOException e) {
          // Read to the end or abandoned: nothing to do about a failed close.
        }
      }
    }
  }

  /**
   * Why the log cannot be replayed as asked, for a person; null: it can. A log of several
   * sets needs {@code --set}, which must name one of them; a log of no set name (written
   * before sets) is one set, which {@code --set default} names too.
   */
  private String wrongSet(SortedSet<String> sets) {
    String found = String.join(", ", sets);
    if (set == null) {
      return sets.size() <= 1 ? null : "the log holds several failover sets (" + found
          + "): replay one at a time with " + SET + " NAME";
    }
    if (sets.isEmpty()) {
      return set.equals(SetConfiguration.DEFAULT) ? null : SET + " " + set + ": the log names"
          + " no failover set (one set, logged before sets had names): leave " + SET + " out";
    }
    return sets.contains(set) ? null : SET + " " + set + ": no such set in the log; its sets: "
        + found;
  }

  /** Where the settings came from, and those given here that differ, for the summary. */
  private String describe(StartupSettings startup) {
    List<String> here = FROM_LOG.stream().filter(this::given)
        .filter(s -> startup == null || !value(s).equals(startup.byVariable().get(s.env())))
        .map(s -> (flags.containsKey(s) ? s.flag() + " " : s.env() + "=") + value(s))
        .toList();
    String given = here.isEmpty() ? "" : "; given here: " + String.join(", ", here);
    return startup != null
        ? "settings: from the log's startup line" + (set == null ? "" : " of set " + set)
            + " at " + startup.time() + given
        : "settings: no startup line in the input" + given + "; defaults for the rest";
  }

  private String value(Setting s) {
    return flags.containsKey(s) ? flags.get(s) : env.get(s.env());
  }

  /**
   * Whether the log's host was a fleet member: its own rules then left failovers and
   * fail-backs to the fleet, whose moves the replay reads from the log.
   */
  private static boolean fleetMember(StartupSettings startup) {
    if (startup == null) {
      return false;
    }
    String coordination = startup.byVariable().get(Setting.COORDINATION.env());
    String role = startup.byVariable().getOrDefault(Setting.ROLE.env(), "fleet");
    return coordination != null && !coordination.equals("none") && role.equals("fleet");
  }

  private int replay(SettingsLoader loader, List<InputStream> streams, String settingsFrom,
      boolean fleet, ReplayReloads reloads) {
    Settings settings = loader.load();
    RegionProbeSettings direct = loader.regionProbe();
    FailoverPolicy policy = new FailoverPolicy(settings.order(), loader.policy());
    JsonFactory json = new JsonFactory();
    List<ProbeLogReader> readers = new ArrayList<>();
    SetFilter sets = set == null ? SetFilter.firstSeen() : SetFilter.named(set);
    try {
      for (int i = 0; i < streams.size(); i++) {
        readers.add(ProbeLogReader.open(inputs.get(i), streams.get(i), policy.order(), json,
            sets));
      }
    } catch (IOException e) {
      err.println("region-failover replay: " + e.getMessage());
      return Cli.USAGE;
    }
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    EventLineWriter output = new EventLineWriter(buffered,
        loader.raw(Setting.DD_SERVICE).orElse("region-failover"));
    // Each decision names the set as the loop's line did (none for a log from before sets).
    Replay.Sink sink = (event, at) -> output.write(
        sets.name() == null ? event : SetEventLog.of(event, sets.name()), at);
    Replay replay = new Replay(policy, direct.enabled(), fleet, sink).reloads(reloads);
    try {
      ReplayStats stats = replay.run(readers);
      buffered.flush();
      err.print(stats.render(LineCounts.of(readers), readers.size(),
          settingsFrom + reloads.summary()));
      return Cli.OK;
    } catch (SeveralSetsException e) {
      flushQuietly(buffered);
      err.println("region-failover replay: " + e.getMessage() + ": replay one at a time with "
          + SET + " NAME (the decisions above are those of " + e.sets().get(0)
          + " until then)");
      return Cli.USAGE;
    } catch (IOException e) {
      flushQuietly(buffered);
      err.println("region-failover replay: cannot read " + e.getMessage());
      return Cli.USAGE;
    }
  }

  /** Opens an input; the message of the exception says which and why, for a person. */
  private InputStream open(String name) throws IOException {
    if (name.equals(STDIN)) {
      // Not closed with the reader: standard input belongs to the process.
      return new java.io.FilterInputStream(stdin) {
        @Override
        public void close() {}
      };
    }
    Path path;
    try {
      path = Path.of(name);
    } catch (InvalidPathException e) {
      throw new IOException("cannot read " + name + ": not a file path");
    }
    if (Files.isDirectory(path)) {
      throw new IOException("cannot read " + name + ": it is a directory");
    }
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new IOException("cannot read " + name + ": no such file");
    } catch (AccessDeniedException e) {
      throw new IOException("cannot read " + name + ": permission denied");
    } catch (IOException e) {
      throw new IOException("cannot read " + name + ": " + e, e);
    }
  }

  private static void flushQuietly(BufferedOutputStream out) {
    try {
      out.flush();
    } catch (IOException e) {
      // stdout is gone; the error message on stderr still says what happened.
    }
  }
}
