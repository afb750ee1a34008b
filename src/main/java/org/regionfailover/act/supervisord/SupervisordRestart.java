package org.regionfailover.act.supervisord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcFault;
import org.regionfailover.config.Region;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Ticker;
import org.regionfailover.act.Action;
import org.regionfailover.act.ActionException;

/**
 * Restarts the application stack through supervisord so that it re-reads the env file:
 * stops the programs in reverse start order, starts them in order, and checks each is
 * RUNNING. One call is one attempt; retrying with backoff is the act runner's job, and
 * every attempt may be repeated because stopping a stopped program and starting a
 * running one both count as done.
 *
 * <p>On interrupt (SIGTERM) the program in hand is finished, an event lists what ran and
 * what did not, and {@link InterruptedException} is thrown.
 */
public final class SupervisordRestart implements Action {
  /** The stack in start order: tunnel first, the application last. */
  public static final List<String> DEFAULT_PROGRAMS =
      List.of("app:stunnel", "app:cloud-client", "app:application");

  private final SupervisorClient client;
  private final List<String> programs;
  private final EventLog events;
  private final Ticker ticker;

  /** A restart of {@code programs} (start order, {@code group:name}) through {@code client}. */
  public SupervisordRestart(SupervisorClient client, List<String> programs, EventLog events,
      Ticker ticker) {
    this.client = Objects.requireNonNull(client, "client");
    this.programs = List.copyOf(programs);
    this.events = Objects.requireNonNull(events, "events");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    if (this.programs.isEmpty()) {
      throw new IllegalArgumentException("restart needs at least one program");
    }
  }

  @Override
  public String name() {
    return "restart";
  }

  /** Stops the stack in reverse order and starts it in order; returns once all are RUNNING. */
  @Override
  public void apply(Region target) throws ActionException, InterruptedException {
    long started = ticker.read();
    String region = target.name();
    events.emit(Event.info("restart_started", "Restarting " + programs + " through supervisord")
        .with("region", region).with("programs", programs));
    List<Step> steps = new ArrayList<>();
    for (int i = programs.size() - 1; i >= 0; i--) {
      steps.add(new Step("stop", programs.get(i)));
    }
    for (String p : programs) {
      steps.add(new Step("start", p));
    }
    run(region, steps, started, new ArrayList<>());
    events.emit(Event.info("restart_completed", "Restarted " + programs)
        .with("region", region).with("duration_ms", millisSince(started)));
  }

  /**
   * Starts whichever programs are not RUNNING, in order, without stopping any (start-up,
   * repair); returns the programs it started.
   */
  public List<String> ensureRunning(Region region) throws ActionException, InterruptedException {
    long started = ticker.read();
    List<Step> steps = new ArrayList<>();
    for (String p : programs) {
      steps.add(new Step("ensure", p));
    }
    List<String> startedPrograms = java.util.Collections.synchronizedList(new ArrayList<>());
    run(region.name(), steps, started, startedPrograms);
    return List.copyOf(startedPrograms);
  }

  /** The programs of the stack, in start order. */
  public List<String> programs() {
    return programs;
  }

  private void run(String region, List<Step> steps, long started, List<String> startedPrograms)
      throws ActionException, InterruptedException {
    for (int i = 0; i < steps.size(); i++) {
      if (Thread.interrupted()) {
        events.emit(Event.warn("restart_interrupted", "Interrupted between programs; stack may be partly down")
            .with("region", region).with("completed", names(steps.subList(0, i)))
            .with("not_run", names(steps.subList(i, steps.size()))));
        throw new InterruptedException("supervisord restart interrupted after " + steps.subList(0, i));
      }
      Step step = steps.get(i);
      String program = step.program();
      try {
        InterruptShield.finish(program, () -> {
          try {
            if (runStep(region, step.kind(), program)) {
              startedPrograms.add(program);
            }
          } catch (SupervisordFailure f) {
            throw new StepFailed(f);
          }
        });
      } catch (StepFailed e) {
        throw failed(region, e.failure, started);
      } catch (XmlRpcException e) {
        throw failed(region, SupervisordFailure.ofCall(program, e, null), started);
      }
    }
  }

  /** Runs one step; true when it started the program. */
  private boolean runStep(String region, String kind, String program)
      throws SupervisordFailure, InterruptedException {
    switch (kind) {
      case "stop" -> {
        stop(region, program);
        return false;
      }
      case "start" -> {
        start(region, program);
        return true;
      }
      case "ensure" -> {
        if (info(program).isRunning()) {
          return false;
        }
        start(region, program);
        return true;
      }
      default -> throw new IllegalStateException("unknown step " + kind);
    }
  }

  private void stop(String region, String program) throws SupervisordFailure, InterruptedException {
    boolean wasRunning = true;
    try {
      client.stopProcess(program, true);
    } catch (XmlRpcFault f) {
      if (f.code() != SupervisorFaults.NOT_RUNNING) {
        throw SupervisordFailure.ofCall(program, f, infoOrNull(program));
      }
      wasRunning = false; // already stopped: the goal of this step holds
    } catch (XmlRpcException e) {
      throw SupervisordFailure.ofCall(program, e, null);
    }
    events.emit(Event.info("program_stopped", "Stopped " + program)
        .with("region", region).with("program", program).with("was_running", wasRunning));
  }

  private void start(String region, String program) throws SupervisordFailure, InterruptedException {
    try {
      client.startProcess(program, true);
    } catch (XmlRpcFault f) {
      if (f.code() != SupervisorFaults.ALREADY_STARTED) {
        throw SupervisordFailure.ofCall(program, f, infoOrNull(program));
      }
    } catch (XmlRpcException e) {
      throw SupervisordFailure.ofCall(program, e, null);
    }
    // startProcess(wait) returns once startsecs passed, but the program may die right after;
    // and ALREADY_STARTED also covers STARTING and BACKOFF. Only RUNNING counts.
    ProcessInfo info = info(program);
    if (!info.isRunning()) {
      throw SupervisordFailure.ofState(program, info);
    }
    events.emit(Event.info("program_started", "Started " + program)
        .with("region", region).with("program", program).with("pid", info.pid()));
  }

  private ProcessInfo info(String program) throws SupervisordFailure, InterruptedException {
    try {
      return client.getProcessInfo(program);
    } catch (XmlRpcException e) {
      throw SupervisordFailure.ofCall(program, e, null);
    }
  }

  /** Best effort: the state only enriches the failure event, so its own failure is ignored. */
  private ProcessInfo infoOrNull(String program) throws InterruptedException {
    try {
      return client.getProcessInfo(program);
    } catch (XmlRpcException e) {
      return null;
    }
  }

  private ActionException failed(String region, SupervisordFailure f, long started) {
    events.emit(Event.error("restart_failed", "Restart through supervisord failed at " + f.program())
        .with("region", region).with("program", f.program()).with("fault", f.fault())
        .with("spawnerr", f.spawnerr()).with("statename", f.statename())
        .with("reason", f.getMessage()).with("duration_ms", millisSince(started)));
    return new ActionException("restart for " + region + " failed at " + f.getMessage(), f);
  }

  private long millisSince(long started) {
    return TimeUnit.NANOSECONDS.toMillis(ticker.read() - started);
  }

  private static List<String> names(List<Step> steps) {
    return steps.stream().map(Step::toString).toList();
  }

  /** One unit of work on one program: {@code stop}, {@code start} or {@code ensure}. */
  private record Step(String kind, String program) {
    @Override
    public String toString() {
      return kind + " " + program;
    }
  }

  /** Carries a described failure out of a shielded step, which may only throw XML-RPC errors. */
  private static final class StepFailed extends XmlRpcException {
    private final SupervisordFailure failure;

    StepFailed(SupervisordFailure failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }
  }
}
