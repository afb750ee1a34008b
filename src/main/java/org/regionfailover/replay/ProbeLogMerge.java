package org.regionfailover.replay;

import java.io.IOException;
import java.util.List;

/**
 * Several logs as one stream in time order: rotated files given in any order (a shell glob
 * sorts {@code app.log} before {@code app.log.1.gz}) come out oldest first. At equal times
 * the input named first wins, so the order is the same at every run.
 */
final class ProbeLogMerge {
  private final List<ProbeLogReader> readers;
  private final RecordedInput[] heads;
  private final boolean[] has;
  private final RecordedInput out = new RecordedInput();
  private boolean started;

  ProbeLogMerge(List<ProbeLogReader> readers) {
    this.readers = List.copyOf(readers);
    this.heads = new RecordedInput[readers.size()];
    this.has = new boolean[readers.size()];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = new RecordedInput();
    }
  }

  /** The next probe of all inputs, valid until the next call; null at the end. */
  RecordedInput next() throws IOException {
    if (!started) {
      started = true;
      for (int i = 0; i < heads.length; i++) {
        has[i] = readers.get(i).next(heads[i]);
      }
    }
    int min = -1;
    for (int i = 0; i < heads.length; i++) {
      if (has[i] && (min < 0 || heads[i].at - heads[min].at < 0)) {
        min = i;
      }
    }
    if (min < 0) {
      return null;
    }
    out.copyFrom(heads[min]);
    has[min] = readers.get(min).next(heads[min]);
    return out;
  }
}
