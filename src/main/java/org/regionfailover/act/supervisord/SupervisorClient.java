package org.regionfailover.act.supervisord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.regionfailover.act.supervisord.xmlrpc.MalformedXmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcHttpTransport;
import org.regionfailover.act.StartPermit;

/** Typed calls to supervisord's {@code supervisor.*} XML-RPC methods. */
public final class SupervisorClient {
  private final XmlRpcHttpTransport transport;
  private final StartPermit permit;

  /** A client that calls supervisord through {@code transport}. */
  public SupervisorClient(XmlRpcHttpTransport transport) {
    this(transport, StartPermit.ALWAYS);
  }

  private SupervisorClient(XmlRpcHttpTransport transport, StartPermit permit) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.permit = Objects.requireNonNull(permit, "permit");
  }

  /** The same client, whose every {@link #startProcess} first asks {@code permit}. */
  public SupervisorClient withStartPermit(StartPermit permit) {
    return new SupervisorClient(transport, permit);
  }

  /** Where supervisord is called, for messages and events. */
  public String url() {
    return transport.url();
  }

  /** supervisord's own state name: RUNNING, RESTARTING, SHUTDOWN or FATAL. */
  public String getState() throws XmlRpcException, InterruptedException {
    Map<?, ?> state = struct("supervisor.getState", transport.call("supervisor.getState", List.of()));
    if (state.get("statename") instanceof String name) {
      return name;
    }
    throw new MalformedXmlRpcException("supervisor.getState answered without a statename");
  }

  /** The state of one program, by {@code group:name}; BAD_NAME fault if there is none. */
  public ProcessInfo getProcessInfo(String program) throws XmlRpcException, InterruptedException {
    return ProcessInfo.fromStruct(struct("supervisor.getProcessInfo",
        transport.call("supervisor.getProcessInfo", List.of(program))));
  }

  /** The state of every program supervisord knows. */
  public List<ProcessInfo> getAllProcessInfo() throws XmlRpcException, InterruptedException {
    Object answer = transport.call("supervisor.getAllProcessInfo", List.of());
    if (!(answer instanceof List<?> items)) {
      throw new MalformedXmlRpcException("supervisor.getAllProcessInfo answered " + typeOf(answer));
    }
    List<ProcessInfo> infos = new ArrayList<>();
    for (Object item : items) {
      infos.add(ProcessInfo.fromStruct(struct("supervisor.getAllProcessInfo", item)));
    }
    return List.copyOf(infos);
  }

  /** Stops a program; with {@code wait}, returns once it has stopped. NOT_RUNNING fault if it was not running. */
  public void stopProcess(String program, boolean wait) throws XmlRpcException, InterruptedException {
    expectTrue("supervisor.stopProcess", transport.call("supervisor.stopProcess", List.of(program, wait)));
  }

  /** Starts a program; with {@code wait}, returns once it is RUNNING. ALREADY_STARTED fault if it was. */
  public void startProcess(String program, boolean wait) throws XmlRpcException, InterruptedException {
    permit.check();
    expectTrue("supervisor.startProcess", transport.call("supervisor.startProcess", List.of(program, wait)));
  }

  /**
   * The {@code stopwaitsecs} of each of {@code programs} ({@code group:name}), from
   * {@code supervisor.getAllConfigInfo}: how long supervisord waits for it to stop before
   * it kills it. A program it does not list is left out.
   */
  public Map<String, Integer> stopWaitSecs(List<String> programs)
      throws XmlRpcException, InterruptedException {
    Object answer = transport.call("supervisor.getAllConfigInfo", List.of());
    if (!(answer instanceof List<?> items)) {
      throw new MalformedXmlRpcException("supervisor.getAllConfigInfo answered " + typeOf(answer));
    }
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (Object item : items) {
      Map<?, ?> m = struct("supervisor.getAllConfigInfo", item);
      String name = m.get("group") + ":" + m.get("name");
      if (programs.contains(name) && m.get("stopwaitsecs") instanceof Integer secs) {
        out.put(name, secs);
      }
    }
    return out;
  }

  /**
   * Up to {@code length} bytes of {@code program}'s {@code stream} log, through
   * {@code supervisor.tailProcessStdoutLog} / {@code tailProcessStderrLog}. supervisord
   * always answers the LAST bytes of the log, ending at its current size (the answer's
   * offset): from {@code offset} only when {@code offset + length} is exactly that size,
   * and with {@code overflow} set when the log is longer than {@code offset + length}. A
   * program without that log (logfile NONE) answers {@code ("", 0, false)}.
   */
  public LogTail tailProcessLog(String program, LogStream stream, int offset, int length)
      throws XmlRpcException, InterruptedException {
    String method = stream.method();
    Object answer = transport.call(method, List.of(program, offset, length));
    if (answer instanceof List<?> l && l.size() == 3 && l.get(0) instanceof String text
        && l.get(1) instanceof Integer size && l.get(2) instanceof Boolean overflow) {
      return new LogTail(text, size, overflow);
    }
    throw new MalformedXmlRpcException(method + " answered " + typeOf(answer)
        + ", expected [string, int, boolean]");
  }

  /**
   * Where supervisord writes {@code program}'s ({@code group:name}) logs, from
   * {@code supervisor.getAllConfigInfo}: the stdout log, and the stderr log unless stderr
   * is redirected into stdout (then absent: its lines are in the stdout log). A log set to
   * NONE reads as the empty string. BAD_NAME fault when supervisord has no such program.
   */
  public Map<LogStream, String> logfiles(String program) throws XmlRpcException, InterruptedException {
    Object answer = transport.call("supervisor.getAllConfigInfo", List.of());
    if (!(answer instanceof List<?> items)) {
      throw new MalformedXmlRpcException("supervisor.getAllConfigInfo answered " + typeOf(answer));
    }
    for (Object item : items) {
      Map<?, ?> m = struct("supervisor.getAllConfigInfo", item);
      if (program.equals(m.get("group") + ":" + m.get("name"))) {
        Map<LogStream, String> out = new java.util.EnumMap<>(LogStream.class);
        out.put(LogStream.STDOUT, logfile(m.get("stdout_logfile")));
        if (!Boolean.TRUE.equals(m.get("redirect_stderr"))) {
          out.put(LogStream.STDERR, logfile(m.get("stderr_logfile")));
        }
        return out;
      }
    }
    throw new org.regionfailover.act.supervisord.xmlrpc.XmlRpcFault(SupervisorFaults.BAD_NAME,
        "BAD_NAME: " + program);
  }

  private static String logfile(Object value) {
    // supervisord 4 answers 'none' for NONE; older ones may leave the value out.
    return value instanceof String path && !path.equalsIgnoreCase("none") ? path : "";
  }

  /** Empties {@code program}'s stdout and stderr logs (supervisorctl clear). */
  public void clearProcessLogs(String program) throws XmlRpcException, InterruptedException {
    expectTrue("supervisor.clearProcessLogs",
        transport.call("supervisor.clearProcessLogs", List.of(program)));
  }

  private static Map<?, ?> struct(String method, Object answer) throws MalformedXmlRpcException {
    if (answer instanceof Map<?, ?> m) {
      return m;
    }
    throw new MalformedXmlRpcException(method + " answered " + typeOf(answer) + ", expected a struct");
  }

  private static void expectTrue(String method, Object answer) throws MalformedXmlRpcException {
    // supervisord documents these as "always true unless error"; anything else is a protocol break.
    if (!Boolean.TRUE.equals(answer)) {
      throw new MalformedXmlRpcException(method + " answered " + typeOf(answer) + ", expected true");
    }
  }

  private static String typeOf(Object v) {
    return v == null ? "nil" : v.getClass().getSimpleName();
  }
}
