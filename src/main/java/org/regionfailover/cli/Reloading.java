package org.regionfailover.cli;

import java.util.concurrent.CompletableFuture;
import org.regionfailover.config.ConfigSource;
import org.regionfailover.config.ProcessConfiguration;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.http.ReloadEndpoint;
import org.regionfailover.status.http.Routes;

/**
 * A host's reloads, wired: the requests (SIGHUP, merged in {@link ReloadRequests}), the
 * {@code POST /reload} route, and once the status server's security exists, the
 * {@link Reloader} that reads {@code source} again and applies the listener's files and
 * whatever {@code more} applies (the loops' new settings).
 */
final class Reloading {
  private final ReloadRequests requests;
  private final ConfigSource source;
  private final ProcessConfiguration boot;
  private final Applier more;
  private final EventLog log;

  /** {@code boot}: what the process started with, as {@code source} loaded it. */
  Reloading(ReloadRequests requests, ConfigSource source, ProcessConfiguration boot,
      Applier more, EventLog log) {
    this.requests = requests;
    this.source = source;
    this.boot = boot;
    this.more = more;
    this.log = log;
  }

  /** Adds {@code POST /reload}; until {@link #start} it answers 503. */
  void register(Routes.Builder routes) {
    new ReloadEndpoint(user -> requests.running()
        ? requests.request(ReloadRequests.Trigger.http(user))
        : CompletableFuture.failedFuture(new IllegalStateException(
            "the supervisor is still starting; try again in a few seconds")))
        .register(routes);
  }

  /**
   * Starts reloading (a SIGHUP that came during start-up reloads now); closing the result
   * stops it.
   */
  ReloadRequests start(StatusListener.Security security) {
    Reloader reloader = new Reloader(source, boot, security.applier().andThen(more), log);
    requests.start(reloader::reload);
    return requests;
  }
}
