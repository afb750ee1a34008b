package org.regionfailover.cli;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.http.CommandEndpoints;
import org.regionfailover.status.http.FailureLimiter;
import org.regionfailover.status.http.Htpasswd;
import org.regionfailover.status.http.PasswordCheck;
import org.regionfailover.status.http.PemTls;
import org.regionfailover.status.http.PageEndpoints;
import org.regionfailover.status.http.PostGuard;
import org.regionfailover.status.page.PageAssets;
import org.regionfailover.status.http.ReadEndpoints;
import org.regionfailover.status.http.Routes;
import org.regionfailover.status.http.ServedSets;
import org.regionfailover.status.http.StatusServer;
import org.regionfailover.time.Ticker;

/**
 * Wires the status server: reads its security material from the settings, registers the
 * routes and binds. The server starts before the loop does, so the loop is reached through
 * a reference filled in once it runs.
 */
final class StatusListener {
  /** The passwords (null: manual control off) and TLS context (null: plain HTTP). */
  record Security(PasswordCheck passwords, SSLContext tls) {}

  private StatusListener() {}

  /**
   * Reads the htpasswd file and the TLS files: a bad one is exit 2 at start-up, not a
   * surprise at the first login or handshake.
   */
  static Security security(ListenerSettings settings) {
    if (!settings.enabled()) {
      return new Security(null, null);
    }
    PasswordCheck passwords = settings.htpasswd()
        .map(p -> new PasswordCheck(Htpasswd.read(p, Setting.HTPASSWD.label()))).orElse(null);
    SSLContext tls = settings.tls()
        ? PemTls.context(settings.tlsCert().orElseThrow(), settings.tlsKey().orElseThrow())
        : null;
    return new Security(passwords, tls);
  }

  /**
   * The routes: the reads ({@code reads}), the operators' commands of each of
   * {@code sets} (to its loop, or its fleet), and routes of a coordination role added by
   * {@code extra} (POST /resign).
   */
  static Routes routes(ServedSets sets, ReadEndpoints reads,
      java.util.function.Consumer<Routes.Builder> extra) {
    Routes.Builder routes = Routes.builder();
    reads.register(routes);
    new PageEndpoints(new PageAssets()).register(routes);
    new CommandEndpoints(sets).register(routes);
    extra.accept(routes);
    return routes.build();
  }

  /** Binds and starts; a bind failure is a {@link ConfigException} naming the setting. */
  static StatusServer start(ListenerSettings settings, Security security, Routes routes,
      EventLog log, Ticker ticker) {
    try {
      return StatusServer.start(settings.address(), security.tls(), routes,
          new PostGuard(security.passwords(), new FailureLimiter(ticker), log), log);
    } catch (IOException e) {
      throw ConfigException.badValue(Setting.LISTEN.label(), settings.address().toString(),
          "cannot listen there (" + e.getMessage() + "): is the port in use by another"
              + " process, or the address not one of this host's? Choose another, or off");
    }
  }

  static CompletableFuture<Decision.ManualCommand> post(FailoverLoop loop,
      Input.Command command) {
    if (loop == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "the supervisor is still starting (waiting for supervisord or the stack); try again"
              + " in a few seconds"));
    }
    return loop.command(command);
  }
}
