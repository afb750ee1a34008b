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
import org.regionfailover.config.RegionProbeSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.config.Settings;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.replay.EventLineWriter;
import org.regionfailover.replay.LineCounts;
import org.regionfailover.replay.ProbeLogReader;
import org.regionfailover.replay.Replay;
import org.regionfailover.replay.ReplayStats;

/**
 * {@code region-failover replay FILE...}: recorded probes through the decide core with the
 * settings given, decisions as the loop's JSON lines on stdout, a summary on stderr. It
 * touches nothing: no env file, no lock, no supervisord, no Datadog, no network.
 */
final class ReplayCommand {
  /** The input name that reads standard input. */
  static final String STDIN = "-";

  private final SettingsLoader loader;
  private final List<String> inputs;
  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;

  ReplayCommand(SettingsLoader loader, List<String> inputs, InputStream stdin, PrintStream out,
      PrintStream err) {
    this.loader = loader;
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

  int call() {
    Settings settings = loader.load();
    RegionProbeSettings direct = loader.regionProbe();
    FailoverPolicy policy = new FailoverPolicy(settings.order(), loader.policy());
    JsonFactory json = new JsonFactory();
    List<ProbeLogReader> readers = new ArrayList<>();
    try {
      for (String name : inputs) {
        readers.add(ProbeLogReader.open(name, open(name), policy.order(), json));
      }
    } catch (IOException e) {
      closeAll(readers);
      err.println("region-failover replay: " + e.getMessage());
      return Cli.USAGE;
    }
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    EventLineWriter output = new EventLineWriter(buffered,
        loader.raw(Setting.DD_SERVICE).orElse("region-failover"));
    Replay replay = new Replay(policy, direct.enabled(), output::write);
    try {
      ReplayStats stats = replay.run(readers);
      buffered.flush();
      err.print(stats.render(LineCounts.of(readers), readers.size()));
      return Cli.OK;
    } catch (IOException e) {
      flushQuietly(buffered);
      err.println("region-failover replay: cannot read " + e.getMessage());
      return Cli.USAGE;
    } finally {
      closeAll(readers);
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

  private static void closeAll(List<ProbeLogReader> readers) {
    for (ProbeLogReader r : readers) {
      try {
        r.close();
      } catch (IOException e) {
        // Read to the end or abandoned: nothing to do about a failed close.
      }
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
