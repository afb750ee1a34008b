package org.regionfailover.replay;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which failover set's lines a replay reads, by the {@code set} field every event of a set
 * carries (a line without one is the process's own: it passes). Compared on the line's
 * bytes, so that the lines of the other sets cost no decoding. One filter is shared by all
 * the readers of a replay: with no set named, the first set seen is the one replayed, and a
 * line of another set then means the log holds several ({@link #other}).
 */
public final class SetFilter {
  private final boolean named;
  /** The set replayed; null while none is named or seen. */
  private byte[] name;
  private String other;

  private SetFilter(String name) {
    this.named = name != null;
    this.name = name == null ? null : name.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads only the lines of set {@code name} (and those of no set). */
  public static SetFilter named(String name) {
    return new SetFilter(Objects.requireNonNull(name, "name"));
  }

  /** Reads the lines of the first set seen; a second set is a log of several sets. */
  public static SetFilter firstSeen() {
    return new SetFilter(null);
  }

  /** Whether the set was named, rather than taken from the first line that had one. */
  public boolean named() {
    return named;
  }

  /** The first set seen that is not the one replayed; null: none. */
  public String other() {
    return other;
  }

  /** The set replayed: named, or seen first; null while neither. */
  public String name() {
    return name == null ? null : new String(name, StandardCharsets.UTF_8);
  }

  /** Whether the set named by {@code b[from, from+len)} (ASCII) is the one replayed. */
  boolean matches(byte[] b, int from, int len) {
    if (name == null) {
      name = java.util.Arrays.copyOfRange(b, from, from + len);
      return true;
    }
    if (name.length == len && java.util.Arrays.equals(name, 0, len, b, from, from + len)) {
      return true;
    }
    if (other == null) {
      other = new String(b, from, len, StandardCharsets.UTF_8);
    }
    return false;
  }

  /** As above, for a set name decoded by the general parser. */
  boolean matches(String set) {
    byte[] bytes = set.getBytes(StandardCharsets.UTF_8);
    return matches(bytes, 0, bytes.length);
  }
}
