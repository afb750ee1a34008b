package org.regionfailover.status.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.status.StatusSnapshot;

/**
 * One failover set as the status server sees it: its name, the snapshot its loop last
 * published ({@code StatusRecorder::snapshot}, null before the loop starts), its failover
 * order, where its operators' commands go, and what its coordination adds: the fleet's part
 * of {@code /status}, and what the answers say while no loop runs (a standby). The set's
 * metrics are not here: they are series of the process's one {@code PrometheusMetrics}.
 */
public final class ServedSet {
  /** A set's name, as the settings allow it: it is also a path segment and a label value. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,63}");

  private final String name;
  private final Supplier<StatusSnapshot> snapshot;
  private final List<Region> order;
  private final Function<Input.Command, CompletableFuture<Decision.ManualCommand>> commands;
  private volatile Supplier<JsonNode> fleet;
  private volatile org.regionfailover.probe.EvidenceAggregator evidence;
  private volatile Supplier<String> idle = () -> "starting: the loop has not started yet"
      + " (supervisord or the stack is awaited)";

  /**
   * Set {@code name}, read from {@code snapshot}, failing over along {@code order}, its
   * commands posted to {@code commands} (its loop, or its fleet).
   */
  public ServedSet(String name, Supplier<StatusSnapshot> snapshot, List<Region> order,
      Function<Input.Command, CompletableFuture<Decision.ManualCommand>> commands) {
    if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
      throw new IllegalArgumentException("not a set name: " + name);
    }
    this.name = name;
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    this.order = List.copyOf(order);
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  public String name() {
    return name;
  }

  /** The last published snapshot; null before the set's loop has started. */
  public StatusSnapshot snapshot() {
    return snapshot.get();
  }

  /** The failover order, preferred region first. */
  public List<Region> order() {
    return order;
  }

  /** Where the set's commands go. */
  public Function<Input.Command, CompletableFuture<Decision.ManualCommand>> commands() {
    return commands;
  }

  /**
   * Adds {@code fleet} to the set's {@code /status} as {@code "fleet"}: the hosts of a
   * coordinated cluster, their views, the decision and who applied it. Read when asked.
   */
  public ServedSet withFleet(Supplier<JsonNode> fleet) {
    this.fleet = fleet;
    return this;
  }

  /**
   * Takes the applications' reports to {@code POST /evidence} into {@code aggregator}
   * (issue 27: the set's {@code endpoint} traffic source).
   */
  public ServedSet withEvidence(org.regionfailover.probe.EvidenceAggregator aggregator) {
    this.evidence = Objects.requireNonNull(aggregator, "aggregator");
    return this;
  }

  /** Where the set's evidence goes; null when the set has no endpoint source. */
  public org.regionfailover.probe.EvidenceAggregator evidence() {
    return evidence;
  }

  /** The fleet's part of {@code /status}, or null when the set is not in a fleet. */
  public JsonNode fleet() {
    Supplier<JsonNode> f = fleet;
    return f == null ? null : f.get();
  }

  /**
   * What the answers say while no loop runs ({@code reason}): a standby of an
   * active/standby cluster, whose stack runs on another host.
   */
  public ServedSet whenIdle(Supplier<String> reason) {
    this.idle = Objects.requireNonNull(reason, "reason");
    return this;
  }

  /** Why the set has no snapshot. */
  public String idle() {
    return idle.get();
  }

  @Override
  public String toString() {
    return "set " + name;
  }
}
