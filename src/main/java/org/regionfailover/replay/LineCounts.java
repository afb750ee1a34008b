package org.regionfailover.replay;

/** What the lines of the input were: probes replayed, and lines skipped by why. */
public final class LineCounts {
  long lines;
  long chainProbes;
  long directProbes;
  long traffic;
  long otherEvents;
  long malformed;
  long unknownRegion;
  long otherSets;

  void count(ProbeLineParser.Outcome outcome, RecordedInput probe) {
    lines++;
    switch (outcome) {
      case INPUT -> {
        switch (probe.kind) {
          case CHAIN -> chainProbes++;
          case DIRECT -> directProbes++;
          case TRAFFIC -> traffic++;
          // The recording's own switches: read to follow them, but not evidence.
          case STACK_STARTING, SWITCH_BEGUN, SWITCH_DONE, SWITCH_ABANDONED, RELOAD ->
              otherEvents++;
        }
      }
      case OTHER_EVENT -> otherEvents++;
      case MALFORMED -> malformed++;
      case UNKNOWN_REGION -> unknownRegion++;
      case OTHER_SET -> otherSets++;
    }
  }

  /** The counts of all {@code readers} together. */
  public static LineCounts of(java.util.List<ProbeLogReader> readers) {
    LineCounts all = new LineCounts();
    readers.forEach(r -> all.add(r.counts()));
    return all;
  }

  private void add(LineCounts other) {
    lines += other.lines;
    chainProbes += other.chainProbes;
    directProbes += other.directProbes;
    traffic += other.traffic;
    otherEvents += other.otherEvents;
    malformed += other.malformed;
    unknownRegion += other.unknownRegion;
    otherSets += other.otherSets;
  }

  public long lines() {
    return lines;
  }

  /** {@code probe} events read. */
  public long chainProbes() {
    return chainProbes;
  }

  /** {@code region_probe} events read. */
  public long directProbes() {
    return directProbes;
  }

  /** {@code traffic} events read. */
  public long traffic() {
    return traffic;
  }

  /** Well-formed events other than probes (failover, startup...): skipped. */
  public long otherEvents() {
    return otherEvents;
  }

  /** Lines that are not a JSON object, or a probe event without its fields: skipped. */
  public long malformed() {
    return malformed;
  }

  /** Probe events of a region not in the failover list given: skipped. */
  public long unknownRegion() {
    return unknownRegion;
  }

  /** Lines of failover sets other than the one replayed ({@code --set}): skipped. */
  public long otherSets() {
    return otherSets;
  }

  public long skipped() {
    return otherEvents + malformed + unknownRegion + otherSets;
  }
}
