package org.regionfailover.act.supervisord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcException;
import org.regionfailover.act.envfile.SwitchJournal;

/**
 * Reads the state of the stack's programs through supervisord (one
 * {@code getAllProcessInfo}), on its own cadence, off the probe's schedule. A program that
 * is not RUNNING, or a supervisord that does not answer, means the tunnel is down: the
 * loop must not take the failed probes that follow for an outage of the region (issue 9:
 * 20 supervisord restarts gave 20 failovers).
 */
public final class StackWatch {
  /** What a check found. */
  public interface Listener {
    /** {@code notRunning}: "program STATE" items; {@code unreachable}: why, or null. */
    void checked(List<String> notRunning, String unreachable);
  }

  private final SupervisorClient client;
  private final List<String> programs;
  private final SwitchJournal journal;

  /**
   * Watches {@code programs} through {@code client}; with a {@code journal} (may be null),
   * a switch marker left behind by a switch that was given up means the programs may still
   * run on the old region, so the stack counts as not up until it is restarted whole.
   */
  public StackWatch(SupervisorClient client, List<String> programs, SwitchJournal journal) {
    this.client = Objects.requireNonNull(client, "client");
    this.programs = List.copyOf(programs);
    this.journal = journal;
  }

  /** One check, reported to {@code listener}; never throws but on interrupt. */
  public void check(Listener listener) throws InterruptedException {
    List<ProcessInfo> infos;
    try {
      infos = client.getAllProcessInfo();
    } catch (XmlRpcException e) {
      listener.checked(List.of(), e.getMessage());
      return;
    }
    List<String> down = new ArrayList<>(notRunning(infos));
    if (journal != null) {
      journal.pending().ifPresent(region -> down.add("switch to " + region
          + " unfinished (" + journal.marker().getFileName() + "): programs may run on the"
          + " old region"));
    }
    listener.checked(List.copyOf(down), null);
  }

  private List<String> notRunning(List<ProcessInfo> infos) {
    Map<String, ProcessInfo> bySpec = infos.stream()
        .collect(java.util.stream.Collectors.toMap(ProcessInfo::spec, Function.identity(),
            (a, b) -> a));
    List<String> down = new ArrayList<>();
    for (String program : programs) {
      ProcessInfo info = bySpec.get(program);
      if (info == null) {
        down.add(program + " UNKNOWN"); // removed from supervisord's configuration
      } else if (!info.isRunning()) {
        down.add(program + " " + info.statename());
      }
    }
    return List.copyOf(down);
  }
}
