package org.regionfailover.cli;

import java.util.ArrayList;
import java.util.List;
import org.regionfailover.config.ConfigDiff;
import org.regionfailover.config.ProcessConfiguration;

/**
 * What a reload changes in the running process, in two steps so that a reload is all or
 * nothing: {@link #prepare} checks and readies everything (reads the htpasswd file and the
 * certificate, builds what replaces the running parts) and may refuse with a
 * {@link org.regionfailover.config.ConfigException}, changing nothing; the
 * {@link Change} it returns then makes the change, and should not fail.
 */
@FunctionalInterface
interface Applier {
  /** Applies nothing: a process that has nothing to reload but its settings. */
  Applier NONE = (running, next, diff) -> Change.NONE;

  /**
   * Readies the change from {@code running} to {@code next} ({@code diff}: the settings
   * that differ, each marked applied or restart-only; restart-only ones must be left as
   * they run). A {@link org.regionfailover.config.ConfigException} rejects the reload.
   */
  Change prepare(ProcessConfiguration running, ProcessConfiguration next, ConfigDiff diff);

  /** A change readied by {@link #prepare}. */
  interface Change {
    Change NONE = () -> { };

    /**
     * Makes it; for a loop, waits until the loop has taken it between two of its steps
     * (after a switch in progress).
     */
    void apply() throws InterruptedException;

    /**
     * Files read again whose content changed (e.g. "FAILOVER_HTPASSWD /etc/x: 3 operators"),
     * for {@code reload_applied}: a new operator is a change though no setting changed.
     */
    default List<String> files() {
      return List.of();
    }
  }

  /**
   * An applier that needs no preparing: {@code apply(running, next, diff)} once the reload
   * is accepted (the loops' suggested signature).
   */
  static Applier simple(Simple apply) {
    return (running, next, diff) -> () -> apply.apply(running, next, diff);
  }

  /** See {@link #simple}. */
  @FunctionalInterface
  interface Simple {
    void apply(ProcessConfiguration running, ProcessConfiguration next, ConfigDiff diff)
        throws InterruptedException;
  }

  /** This and then {@code other}: both prepare before either applies. */
  default Applier andThen(Applier other) {
    return (running, next, diff) -> {
      Change first = prepare(running, next, diff);
      Change second = other.prepare(running, next, diff);
      return new Change() {
        @Override
        public void apply() throws InterruptedException {
          first.apply();
          second.apply();
        }

        @Override
        public List<String> files() {
          List<String> all = new ArrayList<>(first.files());
          all.addAll(second.files());
          return all;
        }
      };
    };
  }
}
