package org.regionfailover.act.hook;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.regionfailover.act.SwitchGate;
import org.regionfailover.config.HookSettings;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.report.SetEventLog;
import org.regionfailover.time.Ticker;

/**
 * A set's hooks (issue 28): the pre-switch hook that may veto a switch (this is the set's
 * {@link SwitchGate}), the post-switch hook run after {@code failover_completed} or
 * {@code failover_failed}, and the notify deliveries (the notify hook, the webhook) of
 * every event in {@link #NOTIFIED}, kept in the outbox before they run. Every hook runs
 * from one queue, one at a time, in the order of the events; the webhook posts from the
 * same outbox on a thread of its own. A dry run runs nothing: it logs what it would run.
 */
public final class SetHooks implements SwitchGate, AutoCloseable {
  /**
   * What the notify sinks get: transitions, blocked ones, repairs, holds, maintenance and
   * recoveries (the {@code maintenance_*} and {@code hold_restored} events included).
   */
  public static final Set<String> NOTIFIED = Set.of(
      "failover", "failback", "manual_switch", "failover_completed", "failover_failed",
      "failover_blocked", "transition_held", "failback_waiting",
      "repair", "repair_completed", "repair_failed",
      "stack_down", "stack_repaired", "stack_repair_abandoned", "stack_start_failed",
      "switch_resumed", "outage_ended",
      "hold_started", "hold_ended", "hold_restored",
      "maintenance_scheduled", "maintenance_move", "maintenance_move_blocked",
      "maintenance_started", "maintenance_ended");
  /** What the post-switch hook runs after. */
  public static final Set<String> AFTER_SWITCH = Set.of("failover_completed", "failover_failed");

  /** Which hook ran, as events name it. */
  enum Kind {
    PRE_SWITCH("pre_switch"), POST_SWITCH("post_switch"), NOTIFY("notify");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final HookSettings settings;
  private final String set;
  private final boolean dryRun;
  private final EventLog log;
  private final Clock clock;
  /** Replaced by a reload's timeout; a hook running keeps the one it started with. */
  private volatile HookProcess process;
  private final Ticker ticker;
  private final Map<String, String> processEnv;
  private final NotifyOutbox outbox;
  private final WebhookSender webhook;
  private final HookQueue queue;
  /** Each sink's last failure (why), absent once it delivered: {@code /health/hooks}. */
  private final Map<String, String> failing = new ConcurrentHashMap<>();

  private SetHooks(HookSettings settings, String set, boolean dryRun, EventLog log, Clock clock,
      Ticker ticker, NotifyOutbox outbox, Map<String, String> processEnv) throws IOException {
    this.settings = settings;
    this.set = set;
    this.dryRun = dryRun;
    this.log = log;
    this.clock = clock;
    this.outbox = outbox;
    this.ticker = ticker;
    this.processEnv = processEnv;
    this.process = new HookProcess(settings.timeout(), ticker, processEnv);
    this.queue = new HookQueue("hooks-" + set);
    this.webhook = settings.notifyUrl().isPresent() && !dryRun
        ? new WebhookSender(settings.notifyUrl().get(), settings.secret(),
            settings.notifyRetryFor(), outbox, log, ticker, this::sinkResult)
        : null;
    if (outbox != null && settings.notifyHook().isPresent()) {
      // A previous run's deliveries first, before any event of this one.
      outbox.undelivered(NotifyOutbox.Sink.HOOK).forEach(d -> queue.add(notifyJob(d)));
    }
  }

  /**
   * The hooks of set {@code set} with {@code settings}, the outbox beside {@code envFile}
   * (none in a dry run, none without a notify sink), reporting to {@code log} (the set's,
   * not one that observes hooks); not started.
   */
  public static SetHooks of(HookSettings settings, String set, Path envFile, boolean dryRun,
      EventLog log, Clock clock, Ticker ticker) throws IOException {
    return of(settings, set, envFile, dryRun, log, clock, ticker, System.getenv());
  }

  /** As above, with {@code processEnv} for this process's environment (tests). */
  public static SetHooks of(HookSettings settings, String set, Path envFile, boolean dryRun,
      EventLog log, Clock clock, Ticker ticker, Map<String, String> processEnv)
      throws IOException {
    Set<NotifyOutbox.Sink> sinks = EnumSet.noneOf(NotifyOutbox.Sink.class);
    settings.notifyHook().ifPresent(h -> sinks.add(NotifyOutbox.Sink.HOOK));
    settings.notifyUrl().ifPresent(u -> sinks.add(NotifyOutbox.Sink.WEBHOOK));
    NotifyOutbox outbox = dryRun || sinks.isEmpty() ? null : NotifyOutbox.open(envFile, sinks);
    return new SetHooks(settings, set, dryRun, log, clock, ticker, outbox, processEnv);
  }

  /** Starts running hooks: the outbox's leftovers first. Without any, no thread. */
  public void start() {
    if (!settings.enabled()) {
      return;
    }
    queue.start();
    if (webhook != null) {
      webhook.start();
    }
  }

  /**
   * A reload's {@code --hook-timeout}: hooks started from now on get it (the hooks and the
   * webhook themselves change with a restart only).
   */
  public void retime(java.time.Duration timeout) {
    if (!timeout.equals(process.timeout())) {
      process = new HookProcess(timeout, ticker, processEnv);
    }
  }

  /** The gate a switch asks: this, with a pre-switch hook; else the open one. */
  public SwitchGate gate() {
    return settings.preSwitch().isPresent() ? this : SwitchGate.OPEN;
  }

  /** Whether a hook or the webhook is configured. */
  public boolean enabled() {
    return settings.enabled();
  }

  /**
   * {@code delegate} as the set's hooks observe it: an event to deliver is in the outbox
   * before it reaches {@code delegate} (a line in the log is a delivery on disk), and its
   * hooks are queued after, in the order the events came.
   */
  public EventLog observing(EventLog delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return event -> {
      boolean notified = NOTIFIED.contains(event.name());
      boolean afterSwitch = AFTER_SWITCH.contains(event.name())
          && settings.postSwitch().isPresent();
      if (!notified && !afterSwitch) {
        delegate.emit(event);
        return;
      }
      observe(event, notified, afterSwitch, delegate);
    };
  }

  private synchronized void observe(Event event, boolean notified, boolean afterSwitch,
      EventLog delegate) {
    Event stamped = SetEventLog.of(event, set);
    Delivery d = notified ? record(stamped) : null;
    delegate.emit(event);
    if (d == null) {
      d = Delivery.of(0, stamped, clock.instant());
    }
    if (afterSwitch) {
      queue.add(hookJob(Kind.POST_SWITCH, settings.postSwitch().get(), d));
    }
    if (notified && settings.notifyHook().isPresent()) {
      queue.add(notifyJob(d));
    }
    if (notified && settings.notifyUrl().isPresent()) {
      if (webhook != null) {
        webhook.wake();
      } else {
        wouldRun("webhook", settings.notifyUrl().get().toString(), d);
      }
    }
  }

  /** Writes {@code event} to the outbox; null when there is none (dry run, no sink). */
  private Delivery record(Event event) {
    if (outbox == null) {
      return null;
    }
    try {
      return outbox.append(event, clock.instant());
    } catch (IOException | RuntimeException e) {
      String why = "cannot write the outbox " + outbox.dir() + ": " + e;
      failing.put("outbox", why);
      log.emit(Event.error("hook_failed", "event " + event.name() + " not kept for delivery: "
          + why).with("hook", Kind.NOTIFY.label).with("for_event", event.name())
          .with("reason", why));
      return null;
    }
  }

  @Override
  public void ask(Event decision, Consumer<Verdict> answer) {
    Path hook = settings.preSwitch().orElse(null);
    if (hook == null) {
      answer.accept(Verdict.OPEN);
      return;
    }
    Delivery d = Delivery.of(0, SetEventLog.of(decision, set), clock.instant());
    queue.add(new HookQueue.Job() {
      @Override
      public void run() throws InterruptedException {
        if (dryRun) {
          wouldRun(Kind.PRE_SWITCH.label, hook.toString(), d);
          answer.accept(new Verdict(true, hook.toString(), "", false));
          return;
        }
        HookOutcome o = runHook(Kind.PRE_SWITCH, hook, d);
        answer.accept(o.succeeded() ? new Verdict(true, hook.toString(), o.lastLine(), false)
            : new Verdict(false, hook.toString(), o.lastLine(), o.timedOut()));
      }

      @Override
      public void abandon() {
        answer.accept(new Verdict(false, hook.toString(), "hooks stopped", false));
      }
    });
  }

  private HookQueue.Job notifyJob(Delivery d) {
    Path hook = settings.notifyHook().orElseThrow();
    return new HookQueue.Job() {
      @Override
      public void run() throws InterruptedException {
        if (dryRun) {
          wouldRun(Kind.NOTIFY.label, hook.toString(), d);
          return;
        }
        runHook(Kind.NOTIFY, hook, d);
        if (d.seq() > 0) {
          try {
            outbox.delivered(NotifyOutbox.Sink.HOOK, d.seq());
          } catch (IOException e) {
            failing.put("outbox", "cannot record delivery " + d.seq() + ": " + e);
          }
        }
      }

      @Override
      public void abandon() {
        // Left in the outbox: the next start delivers it.
      }
    };
  }

  private HookQueue.Job hookJob(Kind kind, Path hook, Delivery d) {
    return new HookQueue.Job() {
      @Override
      public void run() throws InterruptedException {
        if (dryRun) {
          wouldRun(kind.label, hook.toString(), d);
        } else {
          runHook(kind, hook, d);
        }
      }

      @Override
      public void abandon() {
        // A post-switch hook is not kept across a stop: it belongs to the switch just made.
      }
    };
  }

  /** Runs one hook, reporting its start and end; a failure marks the health. */
  private HookOutcome runHook(Kind kind, Path hook, Delivery d) throws InterruptedException {
    String event = d.event();
    HookProcess runner = process;
    HookOutcome o = runner.run(hook, d, pid -> log.emit(Event.info("hook_started",
            kind.label + " hook " + hook + " started for " + event)
        .with("hook", kind.label).with("path", hook.toString()).with("for_event", event)
        .with("seq", d.seq() > 0 ? d.seq() : null).with("pid", pid)));
    Event.Builder b;
    if (o.timedOut()) {
      b = Event.error("hook_timed_out", kind.label + " hook " + hook + " ran past its timeout"
          + " of " + runner.timeout().toMillis() + " ms for " + event + ": its process group"
          + " was killed").with("timeout_ms", runner.timeout().toMillis());
    } else if (o.exitCode() != 0) {
      b = Event.error("hook_failed", kind.label + " hook " + hook + " failed for " + event
          + " (exit " + o.exitCode() + "): " + o.lastLine()).with("exit_code", o.exitCode());
    } else {
      b = Event.info("hook_completed", kind.label + " hook " + hook + " completed for "
          + event).with("exit_code", 0);
    }
    log.emit(b.with("hook", kind.label).with("path", hook.toString()).with("for_event", event)
        .with("seq", d.seq() > 0 ? d.seq() : null).with("output", o.lastLine())
        .with("duration_ms", o.took().toMillis()));
    if (kind != Kind.PRE_SWITCH) {
      // A veto is an answer, not a failed delivery.
      sinkResult(kind.label, o.succeeded() ? null
          : o.timedOut() ? "timed out on " + event : "exit " + o.exitCode() + " on " + event);
    }
    return o;
  }

  private void wouldRun(String hook, String path, Delivery d) {
    log.emit(Event.info("hook_dry_run", "dry run: would run the " + hook + " hook " + path
            + " for " + d.event())
        .with("hook", hook).with("path", path).with("for_event", d.event()));
  }

  /** The last result of sink {@code name}: null when it delivered, else why it did not. */
  void sinkResult(String name, String failure) {
    if (failure == null) {
      failing.remove(name);
    } else {
      failing.put(name, failure);
    }
  }

  /** Why {@code /health/hooks} fails: the sinks whose last delivery failed; empty if none. */
  public Optional<String> failing() {
    if (failing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new java.util.TreeMap<>(failing).entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(java.util.stream.Collectors.joining("; ")));
  }

  /** The outbox, if deliveries are kept (not in a dry run, not without a notify sink). */
  public Optional<NotifyOutbox> outbox() {
    return Optional.ofNullable(outbox);
  }

  /**
   * Stops: a hook running is left to finish (it is the operator's), the deliveries not made
   * stay in the outbox for the next start; a pre-switch hook not yet run vetoes.
   */
  @Override
  public void close() {
    queue.close();
    if (webhook != null) {
      webhook.close();
    }
  }
}
