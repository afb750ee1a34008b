package org.regionfailover.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.status.http.ServedSet;
import org.regionfailover.status.http.Routes;

/**
 * How a host coordinates, a part of every host the assembler builds: not at all
 * ({@link None}), in a fleet ({@link FleetWiring}) or active/standby ({@link StandbyWiring}).
 * The defaults are a single host's.
 */
sealed interface Coordination extends AutoCloseable permits Coordination.None, FleetWiring,
    StandbyWiring {
  /** A single host: coordinates with no one. */
  record None() implements Coordination {}

  /** Adds its components to {@code /health} and its part to the set's documents. */
  default void show(StatusFeed feed, ServedSet served) {}

  /**
   * Adds its routes to the status server, under {@code prefix} ({@code ""} for the one set
   * of a process, {@code /set/NAME} for one of several).
   */
  default void register(Routes.Builder routes, String prefix) {}

  /** Where an operator's command goes: the loop in {@code loop}, once it runs. */
  default CompletableFuture<Decision.ManualCommand> command(Input.Command command,
      AtomicReference<FailoverLoop> loop) {
    return StatusListener.post(loop.get(), command);
  }

  /** Whether the supervisor leaves failovers and fail-backs to a fleet's decider. */
  default boolean defersToFleet() {
    return false;
  }

  /** Before the supervisor starts (a fleet host connects to ZooKeeper). */
  default void beforeStart() throws InterruptedException {}

  /** Once the supervisor's loop runs (a fleet host joins the fleet with it). */
  default void started(FailoverLoop loop) {}

  /**
   * A reload's rules ({@code next}, as the set's loop takes them): a fleet's decider decides
   * with them too. Nothing else of the coordination changes (a reload never moves a lease
   * or a fleet).
   */
  default void reconfigure(org.regionfailover.config.Configuration next) {}

  /**
   * The maintenance windows as they now stand, with the set's lead: a fleet's decider plans
   * the fleet's moves ahead of them (a host that follows the fleet plans none itself).
   */
  default void maintenance(Input.MaintenanceSchedule schedule) {}

  /** Leaves the others; before the supervisor stops, so that no decision arrives mid-stop. */
  @Override
  default void close() {}
}
