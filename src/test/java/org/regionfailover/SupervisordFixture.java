package org.regionfailover;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.regionfailover.act.supervisord.SupervisorClient;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcHttpTransport;

/**
 * A real supervisord in a temp dir running the stack's three programs (group {@code app},
 * autostart off, startsecs 1). Each program sources the env file and appends
 * "{@code $EXT_REGION $$ <program>}" to a record file before exec'ing {@code sleep}, so a
 * test can see which region each start read, in which order, with which pid.
 */
public final class SupervisordFixture implements AutoCloseable {
  public static final String USER = "failover";
  public static final List<String> PROGRAMS = List.of("stunnel", "cloud-client", "application");

  private final Path dir;
  private final String password; // null: unix socket without auth; else inet_http_server with auth
  private final int port;
  private final Map<String, String> commands = new LinkedHashMap<>();
  private final Map<String, Integer> startSecsOf = new LinkedHashMap<>();
  /** Extra lines of a program's section, e.g. {@code stdout_logfile=NONE}. */
  private final Map<String, List<String>> optionsOf = new LinkedHashMap<>();
  /** Group name to its programs; by default one group, app, of {@link #PROGRAMS}. */
  private final Map<String, List<String>> groups = new LinkedHashMap<>();
  /** A program's own directory (env file and record), for groups of {@link #sets}. */
  private final Map<String, Path> dirOf = new LinkedHashMap<>();
  private Process process;
  private int startSecs = 1;
  private int stopWaitSecs = 5;

  private SupervisordFixture(Path dir, String password) throws IOException {
    SupervisordAvailable.require();
    this.dir = dir;
    this.password = password;
    this.port = password == null ? 0 : freePort();
    Path script = dir.resolve("program.sh");
    Files.writeString(script, "#!/bin/sh\n"
        + ". \"$ENVFILE\"\n"
        + "echo \"$EXT_REGION $$ $1\" >> \"$RECORD\"\n"
        + "exec sleep 1000\n");
    for (String p : PROGRAMS) {
      commands.put(p, "/bin/sh " + script + " " + p);
    }
    groups.put("app", PROGRAMS);
    writeRegion("NAM");
  }

  /**
   * supervisord on a unix socket in {@code dir} with one group per failover set: group NAME
   * of programs NAME-tunnel and NAME-app (supervisord: {@code NAME:NAME-tunnel}), sourcing
   * {@code dir/NAME/ext_cloud.env} and recording their starts in {@code dir/NAME/record.txt}
   * (see {@link #records(String)}). Quick start (startsecs=0).
   */
  public static SupervisordFixture sets(Path dir, String... names) throws IOException {
    SupervisordFixture f = new SupervisordFixture(dir, null);
    f.commands.clear();
    f.groups.clear();
    f.startSecs = 0;
    Path script = dir.resolve("program.sh");
    for (String set : names) {
      Path own = Files.createDirectories(dir.resolve(set));
      List<String> programs = List.of(set + "-tunnel", set + "-app");
      for (String p : programs) {
        f.commands.put(p, "/bin/sh " + script + " " + p);
        f.dirOf.put(p, own);
      }
      f.groups.put(set, programs);
      Files.writeString(own.resolve("ext_cloud.env"),
          "export EXT_CLOUD=cloud.eu.ext.com\nexport EXT_REGION=EU\n");
    }
    return f;
  }

  /** The programs of set {@code set} as supervisord names them, in start order. */
  public static String programsOf(String set) {
    return set + ":" + set + "-tunnel," + set + ":" + set + "-app";
  }

  /** Lines of set {@code set}'s record file (see {@link #sets}): "REGION PID program". */
  public List<String> records(String set) throws IOException {
    Path record = dir.resolve(set).resolve("record.txt");
    return Files.exists(record) ? Files.readAllLines(record) : List.of();
  }

  /** supervisord listening on a unix socket in {@code dir}, no auth. */
  public static SupervisordFixture unixSocket(Path dir) throws IOException {
    return new SupervisordFixture(dir, null);
  }

  /** supervisord listening on 127.0.0.1:<free port> with basic auth as {@link #USER}. */
  public static SupervisordFixture inetHttp(Path dir, String password) throws IOException {
    return new SupervisordFixture(dir, password);
  }

  /** Replaces a program's command with one that exits at once, as a broken program would. */
  public SupervisordFixture failing(String program) {
    commands.put(program, "/bin/sh -c \"exit 3\"");
    return this;
  }

  /**
   * Programs count as started at once (startsecs=0): for tests that restart the stack
   * hundreds of times and care about the calls, not the programs.
   */
  public SupervisordFixture quickStart() {
    startSecs = 0;
    return this;
  }

  /**
   * {@code program} (e.g. {@code application}) counts as started only after {@code secs}:
   * it stays STARTING that long, so a test can act while it is within its startsecs.
   */
  public SupervisordFixture startSecs(String program, int secs) {
    startSecsOf.put(program, secs);
    return this;
  }

  /** How long supervisord waits for a program to stop before it kills it (default 5 s). */
  public SupervisordFixture stopWaitSecs(int secs) {
    stopWaitSecs = secs;
    return this;
  }

  /**
   * Makes {@code stunnel} a real local tunnel stand-in: an HTTP server on {@code port} that
   * answers 200 for every file under {@code docroot}. The probe then goes through the stack,
   * as in production, and fails while the stack is down.
   */
  public SupervisordFixture tunnel(Path docroot, int port) {
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    commands.put("stunnel", python + " -m http.server " + port + " --bind 127.0.0.1 --directory "
        + docroot);
    return this;
  }

  /**
   * Makes {@code application} a real client of the region the env file names (see
   * {@link TrafficClient}): it calls the application path at its rate and reports its calls
   * to the evidence endpoint, or logs them for the {@code log:app:application} source.
   */
  public SupervisordFixture trafficClient(TrafficClient client) throws IOException {
    commands.put("application", client.command(dir));
    return this;
  }

  /**
   * Adds program {@code name} to group {@code app}: it copies what is appended to
   * {@link #stdoutSource} to its stdout and {@link #stderrSource} to its stderr, as it
   * comes (a line without its end too), so a test writes the program's log by appending
   * to a file. Its logs are supervisord's own (AUTO, in the fixture's dir), unless
   * {@code options} says otherwise (e.g. {@code stdout_logfile=NONE}).
   */
  public SupervisordFixture logWriter(String name, String... options) throws IOException {
    Path out = stdoutSource(name);
    Path err = stderrSource(name);
    Files.writeString(out, "");
    Files.writeString(err, "");
    commands.put(name, "/bin/sh -c \"tail -c +1 -F " + out + " & exec tail -c +1 -F " + err
        + " >&2\"");
    List<String> lines = new java.util.ArrayList<>(List.of("stopasgroup=true", "killasgroup=true"));
    lines.addAll(List.of(options));
    optionsOf.put(name, lines);
    List<String> app = new java.util.ArrayList<>(groups.getOrDefault("app", List.of()));
    app.add(name);
    groups.put("app", List.copyOf(app));
    return this;
  }

  /** What {@link #logWriter} program {@code name} copies to its stdout. */
  public Path stdoutSource(String name) {
    return dir.resolve(name + ".out.src");
  }

  /** What {@link #logWriter} program {@code name} copies to its stderr. */
  public Path stderrSource(String name) {
    return dir.resolve(name + ".err.src");
  }

  /** SIGHUP: supervisord restarts, which stops every program; waits until it answers again. */
  public void restart() throws Exception {
    signal("HUP");
    SupervisorClient probe = client();
    await("supervisord at " + url() + " to be RUNNING after a restart")
        .atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "RUNNING".equals(probe.getState()));
  }

  /** Sends {@code signal} (e.g. STOP, CONT) to supervisord itself. */
  public void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  /** A free loopback port, for a program of the stack to listen on. */
  public static int freeLoopbackPort() throws IOException {
    return freePort();
  }

  /** Writes the env file the way the env-file action does: two export lines. */
  public void writeRegion(String region) throws IOException {
    Files.writeString(dir.resolve("ext_cloud.env"), "export EXT_CLOUD=cloud."
        + region.toLowerCase() + ".ext.com\nexport EXT_REGION=" + region + "\n");
  }

  /** The env file the programs source. */
  public Path envFile() {
    return dir.resolve("ext_cloud.env");
  }

  /** Lines of the record file, one per program start: "REGION PID program". */
  public List<String> records() throws IOException {
    Path record = dir.resolve("record.txt");
    return Files.exists(record) ? Files.readAllLines(record) : List.of();
  }

  /**
   * "REGION program" of the last {@code n} starts recorded (an I/O error as its one entry,
   * for a message): what a test awaits after a restart, since supervisord may say RUNNING
   * before the program has written its record. With startsecs=0 ({@link #quickStart}) the
   * programs also race each other, so the records do not show the start order.
   */
  public List<String> lastStarts(int n) {
    try {
      List<String> starts = records().stream()
          .map(r -> r.split(" ")[0] + " " + r.split(" ")[2]).toList();
      return starts.subList(Math.max(0, starts.size() - n), starts.size());
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }

  public String url() {
    return password == null ? "unix://" + dir.resolve("supervisor.sock") : "http://127.0.0.1:" + port;
  }

  /** A client with the fixture's own credentials. */
  public SupervisorClient client() {
    return client(password);
  }

  /** A client that presents {@code pass} (ignored for the unix socket variant, which has no auth). */
  public SupervisorClient client(String pass) {
    boolean auth = password != null;
    return new SupervisorClient(new XmlRpcHttpTransport(url(), auth ? USER : null,
        auth ? pass : null, Duration.ofSeconds(20)));
  }

  /** Starts supervisord in the foreground and waits until it answers RUNNING. */
  public void start() throws Exception {
    Path conf = dir.resolve("supervisord.conf");
    Files.writeString(conf, config());
    process = new ProcessBuilder(SupervisordAvailable.require().toString(), "-n", "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("supervisord.out").toFile()))
        .start();
    SupervisorClient probe = client();
    await("supervisord at " + url() + " to be RUNNING").atMost(Duration.ofSeconds(15))
        .failFast(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("supervisord exited: " + Files.readString(dir.resolve("supervisord.out")));
          }
        })
        .ignoreExceptions().until(() -> "RUNNING".equals(probe.getState()));
  }

  /** SIGKILLs supervisord, as a crash would, then its orphaned programs so none leak. */
  public void crash() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    children.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy(); // SIGTERM: supervisord stops its programs before exiting
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private String config() {
    var c = new StringBuilder();
    if (password == null) {
      c.append("[unix_http_server]\nfile=").append(dir.resolve("supervisor.sock")).append("\nchmod=0700\n\n");
    } else {
      c.append("[inet_http_server]\nport=127.0.0.1:").append(port)
          .append("\nusername=").append(USER).append("\npassword=").append(password).append("\n\n");
    }
    c.append("[supervisord]\nlogfile=").append(dir.resolve("supervisord.log"))
        .append("\npidfile=").append(dir.resolve("supervisord.pid"))
        .append("\nchildlogdir=").append(dir).append("\nnodaemon=true\nloglevel=info\n\n");
    c.append("[rpcinterface:supervisor]\n"
        + "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n");
    for (var e : commands.entrySet()) {
      c.append("[program:").append(e.getKey()).append("]\ncommand=").append(e.getValue())
          .append("\nautostart=false\nautorestart=false\nstartsecs=")
          .append(startSecsOf.getOrDefault(e.getKey(), startSecs)).append("\n")
          // No retries: a broken program should go FATAL at once instead of after 1+2+3 s of backoff.
          .append("startretries=0\nstopwaitsecs=").append(stopWaitSecs).append("\n")
          .append("environment=ENVFILE=\"").append(dirOf.getOrDefault(e.getKey(), dir)
              .resolve("ext_cloud.env"))
          .append("\",RECORD=\"").append(dirOf.getOrDefault(e.getKey(), dir)
              .resolve("record.txt")).append("\"\n");
      optionsOf.getOrDefault(e.getKey(), List.of()).forEach(o -> c.append(o).append("\n"));
      c.append("\n");
    }
    for (var g : groups.entrySet()) {
      c.append("[group:").append(g.getKey()).append("]\nprograms=")
          .append(String.join(",", g.getValue())).append("\n");
    }
    return c.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
