package org.regionfailover.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.regionfailover.act.envfile.EnvFileWriter;
import org.regionfailover.config.MaintenanceFile;
import org.regionfailover.config.MaintenanceWindow;

/**
 * The process's maintenance windows, kept in the maintenance file: read at start-up and at
 * every reload, changed by {@code POST /maintenance} and {@code DELETE /maintenance/ID}
 * (written atomically, so a crash leaves the old file or the new one). Every change is
 * handed to the subscribers (each set's loop), which judge the windows themselves.
 */
public final class MaintenanceCalendar {
  private final Path file;
  private final List<String> regions;
  private final EnvFileWriter writer;
  private final List<Consumer<List<MaintenanceWindow>>> subscribers =
      new CopyOnWriteArrayList<>();
  private volatile List<MaintenanceWindow> windows;

  /**
   * The windows of {@code file} (none when it does not exist), each for one of
   * {@code regions}; a bad line is a {@link org.regionfailover.config.ConfigException}.
   */
  public MaintenanceCalendar(Path file, List<String> regions) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    this.regions = List.copyOf(regions);
    this.writer = new EnvFileWriter(this.file);
    this.windows = MaintenanceFile.read(this.file, this.regions);
  }

  public Path file() {
    return file;
  }

  /** The regions a window may be for. */
  public List<String> regions() {
    return regions;
  }

  public List<MaintenanceWindow> windows() {
    return windows;
  }

  /** Hands the windows to {@code subscriber} now and at every change. */
  public void subscribe(Consumer<List<MaintenanceWindow>> subscriber) {
    subscribers.add(subscriber);
    subscriber.accept(windows);
  }

  public void unsubscribe(Consumer<List<MaintenanceWindow>> subscriber) {
    subscribers.remove(subscriber);
  }

  /** The file read again (a reload): its windows, or a ConfigException naming the line. */
  public List<MaintenanceWindow> read() {
    return MaintenanceFile.read(file, regions);
  }

  /** Takes {@code next} (read by {@link #read} for a reload) as the windows. */
  public synchronized void replace(List<MaintenanceWindow> next) {
    windows = List.copyOf(next);
    publish();
  }

  /**
   * Adds {@code window} and writes the file; false when it is there already. The file is
   * read first, so that a hand edit not yet reloaded is not overwritten.
   */
  public synchronized boolean add(MaintenanceWindow window) throws IOException {
    List<MaintenanceWindow> next = new ArrayList<>(read());
    if (next.contains(window)) {
      windows = List.copyOf(next);
      publish();
      return false;
    }
    next.add(window);
    save(next);
    return true;
  }

  /** Removes the window {@code id} and writes the file; the window removed, if any. */
  public synchronized Optional<MaintenanceWindow> remove(String id) throws IOException {
    List<MaintenanceWindow> next = new ArrayList<>(read());
    Optional<MaintenanceWindow> gone = next.stream().filter(w -> w.id().equals(id)).findFirst();
    if (gone.isPresent()) {
      next.remove(gone.get());
      save(next);
    }
    return gone;
  }

  private void save(List<MaintenanceWindow> next) throws IOException {
    writer.write(MaintenanceFile.render(next));
    windows = List.copyOf(next);
    publish();
  }

  private void publish() {
    List<MaintenanceWindow> now = windows;
    subscribers.forEach(s -> s.accept(now));
  }
}
