package org.regionfailover.replay;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.regionfailover.config.Region;
import org.regionfailover.probe.ProbeResult;

/**
 * The loop's stdout for a year at the default cadence, made up for the benchmark: a chain
 * probe of EU every 10 s, a direct probe of each of EU, NAM and APAC every 30 s, lines as
 * the loop writes them. Every day EU fails (chain and direct) 03:00-03:10, NAM's direct
 * probe 11:00-11:10 and APAC's 19:00-19:10, so the replayed host fails over three times a
 * day and spends part of each day on stand-in evidence. One day is built once; the stream
 * serves it day after day with the date patched into each line's timestamp, so the bytes
 * cost nothing to make and the year needs no disk and no gigabytes of heap.
 */
final class SyntheticYear {
  static final List<Region> ORDER = List.of(new Region("EU", "cloud.eu.example"),
      new Region("NAM", "cloud.nam.example"), new Region("APAC", "cloud.apac.example"));
  static final int TICKS_PER_DAY = 8640;
  private static final long S = 1_000_000_000L;
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  /** Where the date starts in each line: after {"@timestamp":" */
  private static final int DATE_AT = 15;

  private final byte[] day;
  private final int[] lineStarts;
  private final RecordedInput[] probes;

  SyntheticYear() {
    Random random = new Random(10);
    StringBuilder b = new StringBuilder();
    List<Integer> starts = new ArrayList<>();
    List<RecordedInput> list = new ArrayList<>();
    for (int tick = 0; tick < TICKS_PER_DAY; tick++) {
      int second = tick * 10;
      if (tick % 3 == 0) {
        for (int r = 0; r < ORDER.size(); r++) {
          boolean down = down(r, second, true);
          long latency = down ? 10 : 20 + random.nextInt(60);
          starts.add(b.length());
          b.append(line(second, r + 1, "region_probe", ORDER.get(r), down, latency, false));
          list.add(probe(true, r, second * S + (r + 1) * 1_000_000L, down, latency));
        }
      }
      boolean down = down(0, second, false);
      long latency = down ? 10 : 20 + random.nextInt(60);
      starts.add(b.length());
      b.append(line(second, 5, "probe", ORDER.get(0), down, latency, true));
      list.add(probe(false, 0, second * S + 5_000_000L, down, latency));
    }
    day = b.toString().getBytes(StandardCharsets.UTF_8);
    lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    probes = list.toArray(RecordedInput[]::new);
  }

  private static boolean down(int region, int secondOfDay, boolean direct) {
    int hour = new int[] {3, 11, 19}[region];
    boolean inWindow = secondOfDay >= hour * 3600 && secondOfDay < hour * 3600 + 600;
    return inWindow && (direct || region == 0);
  }

  private static String line(int second, int millis, String event, Region r, boolean down,
      long latency, boolean chain) {
    String time = String.format("%sT%02d:%02d:%02d.%03dZ", FIRST_DAY, second / 3600,
        second / 60 % 60, second % 60, millis);
    String what = (chain ? "probe " : "direct probe of ") + r.name();
    return "{\"@timestamp\":\"" + time + "\",\"message\":\"" + what
        + (down ? " failed: status 503" : " ok in " + latency + " ms")
        + "\",\"logger_name\":\"region-failover\",\"level\":\"" + (down ? "WARN" : "INFO")
        + "\",\"event\":\"" + event + "\",\"set\":\"default\",\"region\":\"" + r.name() + "\",\"host\":\""
        + r.host() + "\",\"healthy\":" + !down + ",\"latency_ms\":" + latency
        + (chain ? ",\"status\":" + (down ? 503 : 200) : "")
        + (down ? ",\"reason\":\"status 503\"" : "") + ",\"service\":\"region-failover\"}\n";
  }

  private static RecordedInput probe(boolean direct, int region, long at, boolean down,
      long latency) {
    RecordedInput p = new RecordedInput();
    p.kind = direct ? RecordedInput.Kind.DIRECT : RecordedInput.Kind.CHAIN;
    p.region = region;
    p.at = at;
    p.result = down ? direct ? ProbeResult.failed(latency, "status 503")
        : ProbeResult.failedWithStatus(latency, 503) : ProbeResult.healthy(latency, 200);
    return p;
  }

  /** Lines (probes) in one day. */
  int probesPerDay() {
    return probes.length;
  }

  /** Bytes in one day. */
  int bytesPerDay() {
    return day.length;
  }

  /** Epoch nanoseconds of day {@code d}'s midnight. */
  private static long midnight(int d) {
    return FIRST_DAY.plusDays(d).toEpochDay() * 86_400L * S;
  }

  /** The probes of {@code days} days, straight into {@code replay}, no JSON. */
  void replay(Replay replay, int days) throws java.io.IOException {
    RecordedInput p = new RecordedInput();
    for (int d = 0; d < days; d++) {
      long base = midnight(d);
      for (RecordedInput template : probes) {
        p.copyFrom(template);
        p.at = base + template.at;
        replay.accept(p);
      }
    }
  }

  /** The log lines of {@code days} days, as bytes. */
  InputStream stream(int days) {
    return new InputStream() {
      private int d = -1;
      private int pos = day.length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] into, int off, int len) {
        if (pos == day.length) {
          if (d + 1 >= days) {
            return -1;
          }
          d++;
          byte[] date = FIRST_DAY.plusDays(d).toString().getBytes(StandardCharsets.US_ASCII);
          for (int start : lineStarts) {
            System.arraycopy(date, 0, day, start + DATE_AT, date.length);
          }
          pos = 0;
        }
        int n = Math.min(len, day.length - pos);
        System.arraycopy(day, pos, into, off, n);
        pos += n;
        return n;
      }
    };
  }
}
