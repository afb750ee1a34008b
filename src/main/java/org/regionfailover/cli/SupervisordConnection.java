package org.regionfailover.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.regionfailover.act.PreflightException;
import org.regionfailover.act.supervisord.SupervisorClient;
import org.regionfailover.act.supervisord.SupervisordCredentialsException;
import org.regionfailover.act.supervisord.SupervisordPreflight;
import org.regionfailover.act.supervisord.SupervisordUnavailableException;
import org.regionfailover.act.supervisord.UnknownProgramException;
import org.regionfailover.act.supervisord.xmlrpc.XmlRpcHttpTransport;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SupervisorSettings;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;
import org.regionfailover.time.Backoff;
import org.regionfailover.time.NamedThreads;
import org.regionfailover.time.Ticker;

/**
 * Connects to supervisord at start-up and checks it before the loop starts.
 *
 * <p>An unreachable supervisord is waited for, with backoff, for up to
 * {@link #STARTUP_WAIT}: under systemd the two services may start in either order, and a
 * supervisord that is restarting comes back within seconds. After that the supervisor
 * exits 1 so that the service manager's restart policy, and its alerting, take over:
 * running on without being able to restart the stack would be a failover that cannot
 * happen. Wrong credentials and unknown programs are configuration errors (exit 2).
 */
final class SupervisordConnection implements AutoCloseable {
  static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
  private static final Backoff WAIT_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

  /** supervisord could not be reached within the start-up wait. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  private final XmlRpcHttpTransport transport;
  private final SupervisorClient client;
  private final SupervisorSettings settings;
  /** The stack watches' and traffic readers' own transports: one per set, aborted at a stop. */
  private final java.util.List<XmlRpcHttpTransport> ownTransports =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile XmlRpcHttpTransport fencingTransport;

  SupervisordConnection(SupervisorSettings settings) {
    this.settings = settings;
    this.transport = new XmlRpcHttpTransport(settings.url(), settings.user().orElse(null),
        settings.password().orElse(null), settings.timeout());
    this.client = new SupervisorClient(transport);
  }

  SupervisorClient client() {
    return client;
  }

  /** A client of its own for the stack watch, whose calls end after {@code timeout}. */
  SupervisorClient watchClient(Duration timeout) {
    return ownClient(timeout);
  }

  /**
   * A client for reading a program's log as traffic evidence (issue 27), with its own short
   * {@code timeout}: a hung supervisord costs one drain that much, never the probes.
   */
  SupervisorClient trafficClient(Duration timeout) {
    return ownClient(timeout);
  }

  private SupervisorClient ownClient(Duration timeout) {
    XmlRpcHttpTransport own = new XmlRpcHttpTransport(settings.url(),
        settings.user().orElse(null), settings.password().orElse(null), timeout);
    ownTransports.add(own);
    return new SupervisorClient(own);
  }


  /**
   * A client of its own that stopping the process never aborts ({@code timeout} per call):
   * an active/standby host stops its stack on the way out, and must finish.
   */
  SupervisorClient fencingClient(Duration timeout) {
    fencingTransport = new XmlRpcHttpTransport(settings.url(), settings.user().orElse(null),
        settings.password().orElse(null), timeout);
    return new SupervisorClient(fencingTransport);
  }

  /**
   * Once {@code stop} is counted down, gives calls in flight {@code grace} to finish, then
   * abandons them: SIGTERM must end the process whatever supervisord does (stopped, hung,
   * trickling its answers), not after the call timeout.
   */
  void abortOnStop(CountDownLatch stop, Duration grace) {
    NamedThreads.daemon("supervisord-stop", () -> {
      try {
        stop.await();
        Thread.sleep(grace.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      transport.abort();
      ownTransports.forEach(XmlRpcHttpTransport::abort);
    }).start();
  }

  /**
   * Checks that supervisord knows {@code programs} (a set a reload adds): an unknown one is
   * a {@link ConfigException} naming the setting. An unreachable supervisord is not an
   * error here: the set's start retries with backoff, as every start does.
   */
  void checkPrograms(java.util.List<String> programs) throws InterruptedException {
    try {
      preflight(new SupervisordPreflight(client, programs));
    } catch (PreflightException e) {
      // unreachable or not running now: the start reports it and retries
    }
  }

  /**
   * One preflight: an unknown program or wrong credentials are configuration errors (exit
   * 2 at start-up, reload_rejected at a reload); anything else is the caller's to handle.
   */
  private static void preflight(SupervisordPreflight preflight)
      throws PreflightException, InterruptedException {
    try {
      preflight.check();
    } catch (UnknownProgramException e) {
      throw new ConfigException(Setting.PROGRAMS.label(), e.getMessage());
    } catch (SupervisordCredentialsException e) {
      throw new ConfigException(Setting.SUPERVISOR_USER.label() + " / "
          + Setting.SUPERVISOR_PASSWORD.label(), e.getMessage());
    }
  }

  /** Checks supervisord and the programs; waits for it while it is unreachable. */
  void check(EventLog log, CountDownLatch stop, Ticker ticker)
      throws Unreachable, InterruptedException {
    long deadline = ticker.read() + STARTUP_WAIT.toNanos();
    SupervisordPreflight preflight = new SupervisordPreflight(client, settings.programs());
    for (int attempt = 0; ; attempt++) {
      try {
        preflight(preflight);
        log.emit(Event.info("supervisord_ready", "supervisord at " + settings.url()
                + " is running and knows " + String.join(", ", settings.programs()))
            .with("supervisor_url", settings.url()).with("programs", settings.programs()));
        return;
      } catch (SupervisordUnavailableException e) {
        Duration wait = WAIT_BACKOFF.delay(attempt, Math::random);
        if (ticker.read() + wait.toNanos() - deadline > 0) {
          throw new Unreachable(e.getMessage() + "; gave up after " + STARTUP_WAIT.toSeconds()
              + " s. Check " + Setting.SUPERVISOR_URL.label() + " and that supervisord runs.");
        }
        log.emit(Event.warn("supervisord_unavailable", e.getMessage() + "; retrying in "
                + wait.toMillis() + " ms")
            .with("supervisor_url", settings.url()).with("reason", e.getMessage())
            .with("retry_in_ms", wait.toMillis()));
        if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new InterruptedException("stopped while waiting for supervisord");
        }
      } catch (PreflightException e) {
        throw new Unreachable(e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    try {
      if (fencingTransport != null) {
        fencingTransport.close();
      }
      for (XmlRpcHttpTransport own : ownTransports) {
        own.close();
      }
      transport.close();
    } catch (IOException e) {
      // Closing at shutdown; nothing to do with a failure.
    }
  }
}
