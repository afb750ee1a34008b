package org.regionfailover.act.hook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.report.Event;

/**
 * The deliveries not yet made, kept on disk beside the env file
 * ({@code .ext_cloud.env.outbox/}) so that a crash or a kill -9 delivers them after the
 * restart: each event is written (atomically, fsynced) before anything runs for it, with a
 * sequence number that is never given to another event (the next one is kept on disk too);
 * each sink (the notify hook, the webhook) keeps how far it has delivered. A delivery is
 * made again after a restart when the process died between making it and recording it: at
 * least once, the repeat with the same number.
 */
public final class NotifyOutbox {
  /** Where deliveries go; each keeps its own place in the outbox. */
  public enum Sink {
    HOOK("hook"), WEBHOOK("webhook");

    private final String file;

    Sink(String file) {
      this.file = file;
    }
  }

  private static final String NEXT = "next-seq";
  private static final String DONE = ".done";
  private static final String ENTRY = ".json";

  private final Path dir;
  private final Set<Sink> sinks;
  private final TreeMap<Long, Delivery> pending = new TreeMap<>();
  private final Map<Sink, Long> done = new EnumMap<>(Sink.class);
  private long next;

  private NotifyOutbox(Path dir, Set<Sink> sinks) {
    this.dir = dir;
    this.sinks = Set.copyOf(sinks);
  }

  /** The outbox directory of {@code envFile}. */
  public static Path dirFor(Path envFile) {
    Path abs = envFile.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + ".outbox");
  }

  /**
   * Opens (creating it if need be) the outbox of {@code envFile} for {@code sinks}, with
   * what an earlier run left in it.
   */
  public static NotifyOutbox open(Path envFile, Set<Sink> sinks) throws IOException {
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("an outbox needs a sink");
    }
    NotifyOutbox o = new NotifyOutbox(Files.createDirectories(dirFor(envFile)), sinks);
    o.load();
    return o;
  }

  private void load() throws IOException {
    long highest = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p); // a write a kill cut short: its rename never happened
        } else if (name.endsWith(ENTRY)) {
          long seq = Long.parseLong(name.substring(0, name.length() - ENTRY.length()));
          pending.put(seq, new Delivery(seq, Files.readString(p, StandardCharsets.UTF_8)
              .strip()));
          highest = Math.max(highest, seq);
        }
      }
    }
    for (Sink sink : Sink.values()) {
      long d = readLong(dir.resolve(sink.file + DONE));
      done.put(sink, d);
      highest = Math.max(highest, d);
    }
    // An entry written just before a kill may be ahead of the number kept: never reuse it.
    next = Math.max(readLong(dir.resolve(NEXT)), highest + 1);
    dropDelivered();
  }

  /**
   * Writes {@code event} as the next delivery, on disk before it returns; the number it
   * got. The caller keeps appends in the order the events happened.
   */
  public synchronized Delivery append(Event event, Instant time) throws IOException {
    long seq = next;
    Delivery d = Delivery.of(seq, event, time);
    write(entry(seq), d.line() + "\n");
    next = seq + 1;
    write(dir.resolve(NEXT), next + "\n");
    pending.put(seq, d);
    return d;
  }

  /** The deliveries {@code sink} has not made yet, in order. */
  public synchronized List<Delivery> undelivered(Sink sink) {
    return new ArrayList<>(pending.tailMap(done.get(sink), false).values());
  }

  /** The first delivery after {@code seq} that {@code sink} has not made, if any. */
  public synchronized Optional<Delivery> after(Sink sink, long seq) {
    var e = pending.higherEntry(Math.max(seq, done.get(sink)));
    return Optional.ofNullable(e == null ? null : e.getValue());
  }

  /**
   * Records that {@code sink} made (or gave up) delivery {@code seq}, on disk; a delivery
   * every sink has made leaves the outbox.
   */
  public synchronized void delivered(Sink sink, long seq) throws IOException {
    if (seq <= done.get(sink)) {
      return;
    }
    write(dir.resolve(sink.file + DONE), seq + "\n");
    done.put(sink, seq);
    dropDelivered();
  }

  /** How far {@code sink} has delivered (0: nothing yet). */
  public synchronized long deliveredUpTo(Sink sink) {
    return done.get(sink);
  }

  /** The number the next event gets. */
  public synchronized long nextSeq() {
    return next;
  }

  public Path dir() {
    return dir;
  }

  private void dropDelivered() throws IOException {
    long all = sinks.stream().mapToLong(done::get).min().orElse(0);
    while (!pending.isEmpty() && pending.firstKey() <= all) {
      long seq = pending.pollFirstEntry().getKey();
      // No fsync: an entry back after a crash is one every sink has recorded as delivered.
      Files.deleteIfExists(entry(seq));
    }
  }

  private Path entry(long seq) {
    return dir.resolve(String.format("%019d%s", seq, ENTRY));
  }

  private static void write(Path file, String content) throws IOException {
    new EnvFileWriter(file).write(content);
  }

  private static long readLong(Path file) throws IOException {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? 0 : Long.parseLong(s);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (NumberFormatException e) {
      throw new IOException(file + " is not a sequence number", e);
    }
  }

  @Override
  public String toString() {
    return "outbox " + dir;
  }
}
