package org.regionfailover.report;

/**
 * Where the stages report what they saw and did. Implementations must never block the
 * caller for long and must never throw: reporting cannot be allowed to delay a probe or
 * a failover.
 */
@FunctionalInterface
public interface EventLog {
  /** Records one event. */
  void emit(Event event);

  /** Convenience for {@code emit(builder.build())}. */
  default void emit(Event.Builder builder) {
    emit(builder.build());
  }

  /** A tick of a fixed-rate runner that threw: reported, and the runner goes on. */
  default void tickFailed(Throwable t) {
    emit(Event.error("loop_error", "tick failed, the loop goes on: " + t)
        .with("reason", t.toString()));
  }
}
