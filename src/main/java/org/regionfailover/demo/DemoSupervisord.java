package org.regionfailover.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.regionfailover.act.supervisord.SupervisorClient;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcHttpTransport;
import org.regionfailover.time.Ticker;

/**
 * A real supervisord for the demo, run in the foreground in the demo's temp directory with
 * the stack of a production host: group {@code app} with stunnel, cloud-client and
 * application, each sourcing the env file and then {@code exec sleep}, autostart off,
 * startsecs 1, on a unix socket in the same directory.
 */
public final class DemoSupervisord implements AutoCloseable {
  public static final List<String> PROGRAMS = List.of("stunnel", "cloud-client", "application");
  /** supervisord starts in well under a second; ten is ample for a loaded machine. */
  private static final Duration START_WAIT = Duration.ofSeconds(10);

  private final Process process;
  private final Path dir;

  private DemoSupervisord(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** The {@code supervisord} executable on {@code PATH}, if installed. */
  public static Optional<Path> find(Map<String, String> env) {
    for (String d : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, "supervisord");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Writes the config into {@code dir}, starts supervisord and waits until it is RUNNING. */
  public static DemoSupervisord start(Path executable, Path dir, Path envFile)
      throws IOException, InterruptedException {
    Path script = dir.resolve("program.sh");
    // Like the hosts' start script: source the env file, refuse to run without EXT_CLOUD.
    Files.writeString(script, "#!/bin/sh\n"
        + ". \"$ENVFILE\"\n"
        + "[ -n \"$EXT_CLOUD\" ] || exit 5\n"
        + "echo \"$1 connected to $EXT_REGION ($EXT_CLOUD)\"\n"
        + "exec sleep 3600\n");
    Path conf = dir.resolve("supervisord.conf");
    Files.writeString(conf, config(dir, script, envFile));
    Process p = new ProcessBuilder(executable.toString(), "-n", "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("supervisord.out").toFile())
        .start();
    DemoSupervisord sd = new DemoSupervisord(p, dir);
    try {
      sd.awaitRunning();
    } catch (IOException | InterruptedException | RuntimeException e) {
      sd.close();
      throw e;
    }
    return sd;
  }

  /** The XML-RPC URL, for {@code SUPERVISOR_SERVER_URL}. */
  public String url() {
    return "unix://" + dir.resolve("supervisor.sock");
  }

  /** Program names as the supervisor addresses them, in start order. */
  public static String programList() {
    return String.join(",", PROGRAMS.stream().map(p -> "app:" + p).toList());
  }

  private void awaitRunning() throws IOException, InterruptedException {
    Ticker clock = Ticker.system();
    long deadline = clock.read() + START_WAIT.toNanos();
    try (XmlRpcHttpTransport transport =
        new XmlRpcHttpTransport(url(), null, null, Duration.ofSeconds(2))) {
      SupervisorClient client = new SupervisorClient(transport);
      while (true) {
        if (!process.isAlive()) {
          throw new IOException("supervisord exited at start: "
              + Files.readString(dir.resolve("supervisord.out")).strip());
        }
        if (Files.exists(dir.resolve("supervisor.sock"))) {
          try {
            if ("RUNNING".equals(client.getState())) {
              return;
            }
          } catch (XmlRpcException e) {
            // Socket created but not yet answering: try again shortly.
          }
        }
        if (clock.read() - deadline > 0) {
          throw new IOException("supervisord did not answer within " + START_WAIT.toSeconds() + " s");
        }
        if (Thread.interrupted()) {
          throw new InterruptedException("stopped while waiting for supervisord");
        }
        // 20 ms keeps the wait short without spinning; there is no event to wait on.
        LockSupport.parkNanos(20_000_000L);
      }
    }
  }

  /** Stops supervisord (it stops its programs first) and makes sure no child outlives it. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static String config(Path dir, Path script, Path envFile) {
    StringBuilder c = new StringBuilder()
        .append("[unix_http_server]\nfile=").append(dir.resolve("supervisor.sock"))
        .append("\nchmod=0700\n\n")
        .append("[supervisord]\nlogfile=").append(dir.resolve("supervisord.log"))
        .append("\npidfile=").append(dir.resolve("supervisord.pid"))
        .append("\nchildlogdir=").append(dir).append("\nnodaemon=true\nloglevel=warn\n\n")
        .append("[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory ="
            + " supervisor.rpcinterface:make_main_rpcinterface\n\n")
        .append("[supervisorctl]\nserverurl=unix://").append(dir.resolve("supervisor.sock"))
        .append("\n\n");
    for (String p : PROGRAMS) {
      c.append("[program:").append(p).append("]\ncommand=/bin/sh ").append(script).append(' ')
          .append(p).append("\nautostart=false\nautorestart=false\nstartsecs=1\n")
          .append("startretries=0\nstopwaitsecs=5\n")
          .append("stdout_logfile=").append(dir.resolve(p + ".log")).append('\n')
          .append("environment=ENVFILE=\"").append(envFile).append("\"\n\n");
    }
    c.append("[group:app]\nprograms=").append(String.join(",", PROGRAMS)).append('\n');
    return c.toString();
  }
}
