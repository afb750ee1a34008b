package org.regionfailover.replay;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.regionfailover.config.Region;

/**
 * Reads the lines of one recorded log that a replay reads ({@link RecordedInput.Kind}),
 * line by line, skipping and counting every other line. Gzip is recognised by its magic bytes, not the file name, so that standard input
 * may be compressed too. Lines are cut from one reused byte buffer.
 */
public final class ProbeLogReader implements Closeable {
  /** A line longer than this is not one of the loop's events: it is skipped, not buffered. */
  static final int MAX_LINE = 1 << 20;
  private static final int BUFFER = 1 << 16;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final String name;
  private final InputStream in;
  private final ProbeLineParser parser;
  private final SetFilter sets;
  private final LineCounts counts = new LineCounts();
  private byte[] buf = new byte[BUFFER];
  private int start;
  private int end;
  /** Up to here the current line has no newline: a long line is scanned once, not per read. */
  private int scanned;
  private boolean eof;
  /** Inside a line longer than {@link #MAX_LINE}, dropping bytes up to its end. */
  private boolean dropping;

  private ProbeLogReader(String name, InputStream in, ProbeLineParser parser, SetFilter sets) {
    this.name = name;
    this.in = in;
    this.parser = parser;
    this.sets = sets;
  }

  /** Reads {@code in} (plain or gzip), named {@code name} in messages, for regions {@code order}. */
  public static ProbeLogReader open(String name, InputStream in, List<Region> order,
      JsonFactory json) throws IOException {
    return open(name, in, order, json, SetFilter.firstSeen());
  }

  /** As above, the lines of the set {@code sets} picks (one filter for all inputs). */
  public static ProbeLogReader open(String name, InputStream in, List<Region> order,
      JsonFactory json, SetFilter sets) throws IOException {
    return new ProbeLogReader(name, decoded(in), new ProbeLineParser(json, order, sets), sets);
  }

  /** {@code in}'s text, plain or gzip (by its first bytes), buffered: it supports mark and reset. */
  public static InputStream decoded(InputStream in) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in, BUFFER);
    b.mark(2);
    int m1 = b.read();
    int m2 = b.read();
    b.reset();
    return m1 == 0x1f && m2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(b, BUFFER),
        BUFFER) : b;
  }

  /** The input's name, as given on the command line. */
  public String name() {
    return name;
  }

  /**
   * Fills {@code into} with the next line replay reads; false at the end of the input. A read error
   * (a truncated gzip, say) is rethrown with the input's name.
   *
   * @throws SeveralSetsException when no set was named and a line of a second set comes
   */
  public boolean next(RecordedInput into) throws IOException {
    try {
      return read(into);
    } catch (SeveralSetsException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
  }

  private boolean read(RecordedInput into) throws IOException {
    while (true) {
      int nl = indexOfNewline();
      if (nl < 0 && !eof) {
        fill();
        continue;
      }
      if (nl < 0) {
        if (start == end && !dropping) {
          return false;
        }
        nl = end; // a last line without its newline
      }
      int from = start;
      int to = nl > from && buf[nl - 1] == '\r' ? nl - 1 : nl;
      start = nl < end ? nl + 1 : end;
      scanned = start;
      if (dropping) {
        dropping = false;
        counts.count(ProbeLineParser.Outcome.MALFORMED, into);
        continue;
      }
      ProbeLineParser.Outcome outcome = parser.parse(buf, from, to - from, into);
      counts.count(outcome, into);
      if (outcome == ProbeLineParser.Outcome.OTHER_SET && !sets.named()) {
        throw new SeveralSetsException(name, sets.name(), sets.other());
      }
      if (outcome == ProbeLineParser.Outcome.INPUT) {
        return true;
      }
    }
  }

  /**
   * The next newline from {@code scanned}, eight bytes at a time: a byte loop here took a
   * third of a replay's time. {@code x ^ 0x0A..} zeroes the newline bytes, and the classic
   * zero-byte test marks them; its lowest mark (little-endian: the first byte) is exact.
   */
  private int indexOfNewline() {
    int i = scanned;
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(buf, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    scanned = end;
    return -1;
  }

  /** Reads more: moves the partial line to the front, grows the buffer for a long line. */
  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    if (end == buf.length) {
      if (buf.length >= MAX_LINE) {
        // Too long to be an event: forget what we have and skip to the line's end.
        dropping = true;
        end = 0;
        scanned = 0;
      } else {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  /** What this input's lines were, so far. */
  public LineCounts counts() {
    return counts;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
