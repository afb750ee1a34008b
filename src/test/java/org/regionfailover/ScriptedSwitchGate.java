package org.regionfailover;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.regionfailover.act.SwitchGate;
import org.regionfailover.report.Event;

/**
 * A pre-switch gate for tests (issue 28): answers every question with the verdict set now,
 * on a thread of its own, as the hook runner does, never on the asker's. Keeps the events it
 * was asked about and counts its answers, so a test can wait for one and then drain the loop.
 */
public final class ScriptedSwitchGate implements SwitchGate, AutoCloseable {
  /** The path its vetoes name, as a hook's would. */
  public static final String HOOK = "/etc/region-failover/pre-switch";

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "test-switch-gate");
    t.setDaemon(true);
    return t;
  });
  private final List<Event> asked = new CopyOnWriteArrayList<>();
  private final AtomicInteger answered = new AtomicInteger();
  private volatile Verdict verdict = Verdict.OPEN;

  /** Vetoes from now on, printing {@code output} last. */
  public void veto(String output) {
    verdict = new Verdict(false, HOOK, output, false);
  }

  /** Allows from now on. */
  public void allow() {
    verdict = Verdict.OPEN;
  }

  @Override
  public void ask(Event decision, Consumer<Verdict> answer) {
    asked.add(decision);
    Verdict v = verdict;
    thread.execute(() -> {
      answer.accept(v);
      answered.incrementAndGet();
    });
  }

  /** The events asked about, in order. */
  public List<Event> asked() {
    return List.copyOf(asked);
  }

  /** How many answers were given (the callback returned). */
  public int answered() {
    return answered.get();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
