package org.regionfailover.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.regionfailover.config.ConfigDiff;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.ListenerSettings;
import org.regionfailover.config.Setting;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.loop.FailoverLoop;
import org.regionfailover.report.EventLog;
import org.regionfailover.status.http.CommandEndpoints;
import org.regionfailover.status.http.EvidenceEndpoint;
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
import org.regionfailover.status.http.SwappingKeyManager;
import org.regionfailover.time.Ticker;

/**
 * Wires the status server: reads its security material from the settings, registers the
 * routes and binds. The server starts before the loop does, so the loop is reached through
 * a reference filled in once it runs.
 */
final class StatusListener {
  /**
   * The listener's security material: the passwords (null: manual control off) and the TLS
   * context (null: plain HTTP), both read again by a reload ({@link #reload}): a new
   * operator is accepted and a removed one refused at the next request, a new certificate
   * serves the next handshake (connections already open go on with the old one).
   *
   * <p>A reload may turn manual control on (an htpasswd file where there was none) or off
   * (the setting removed; beyond loopback the settings require one, so only on loopback):
   * both are an edit of who may post, which is what a reload is for. TLS cannot be turned
   * on or off: that needs a new socket ({@link ConfigDiff} reports it as restart-only).
   */
  static final class Security {
    private final boolean enabled;
    private final AtomicReference<PasswordCheck> passwords = new AtomicReference<>();
    private final SwappingKeyManager keys;
    private final SSLContext tls;
    /** Digests of the files in force, to tell a reload whether their content changed. */
    private volatile String htpasswdRead;
    private volatile String tlsRead;

    private Security(ListenerSettings settings) {
      this.enabled = settings.enabled();
      if (!enabled) {
        keys = null;
        tls = null;
        return;
      }
      htpasswdRead = digest(settings.htpasswd());
      passwords.set(settings.htpasswd().map(Security::check).orElse(null));
      tlsRead = settings.tls() ? digest(settings.tlsCert()) + digest(settings.tlsKey()) : "";
      keys = settings.tls() ? SwappingKeyManager.serving(settings.tlsCert().orElseThrow(),
          settings.tlsKey().orElseThrow()) : null;
      tls = keys == null ? null : PemTls.context(keys);
    }

    /** The passwords now in force; null: manual control is off. */
    PasswordCheck passwords() {
      return passwords.get();
    }

    /** The TLS context, whose certificate a reload may replace; null: plain HTTP. */
    SSLContext tls() {
      return tls;
    }

    /** Reloads the listener's files as {@code next}'s main configuration has them. */
    Applier applier() {
      return (running, next, diff) -> reload(next.main().listener());
    }

    /**
     * Reads the files of {@code next} whose content changed since they were last read,
     * checking every one before anything changes: a bad file is a ConfigException naming
     * its setting, and the material in force stays. The change swaps them in.
     */
    Applier.Change reload(ListenerSettings next) {
      if (!enabled) {
        return Applier.Change.NONE; // no server to serve them
      }
      List<String> files = new ArrayList<>();
      List<Runnable> swaps = new ArrayList<>();
      String htpasswd = digest(next.htpasswd());
      if (!htpasswd.equals(htpasswdRead)) {
        PasswordCheck check = next.htpasswd().map(Security::check).orElse(null);
        files.add(Setting.HTPASSWD.env() + next.htpasswd().map(p -> " " + p + ": "
            + check.users() + " operator(s)").orElse(": none, manual control off"));
        swaps.add(() -> {
          passwords.set(check);
          htpasswdRead = htpasswd;
        });
      }
      // A listener without TLS stays so until a restart, and the reverse (restart-only).
      if (keys != null && next.tls()) {
        String material = digest(next.tlsCert()) + digest(next.tlsKey());
        if (!material.equals(tlsRead)) {
          SwappingKeyManager.Identity identity = keys.read(next.tlsCert().orElseThrow(),
              next.tlsKey().orElseThrow());
          X509Certificate leaf = identity.chain()[0];
          files.add(Setting.TLS_CERT.env() + " " + next.tlsCert().orElseThrow() + ": "
              + leaf.getSubjectX500Principal().getName() + ", valid until "
              + leaf.getNotAfter().toInstant());
          swaps.add(() -> {
            keys.swap(identity);
            SwappingKeyManager.forgetSessions(tls);
            tlsRead = material;
          });
        }
      }
      return new Applier.Change() {
        @Override
        public void apply() {
          swaps.forEach(Runnable::run);
        }

        @Override
        public List<String> files() {
          return files;
        }
      };
    }

    private static PasswordCheck check(Path file) {
      return new PasswordCheck(Htpasswd.read(file, Setting.HTPASSWD.label()));
    }

    /**
     * The SHA-256 of the file's content ("" for none). Unreadable: a value no read file has,
     * so that the read that follows reports why.
     */
    private static String digest(Optional<Path> file) {
      if (file.isEmpty()) {
        return "";
      }
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(file.get())));
      } catch (IOException | NoSuchAlgorithmException e) {
        return "unreadable";
      }
    }
  }

  private StatusListener() {}

  /**
   * Reads the htpasswd file and the TLS files: a bad one is exit 2 at start-up, not a
   * surprise at the first login or handshake.
   */
  static Security security(ListenerSettings settings) {
    return new Security(settings);
  }

  /**
   * The routes: the reads ({@code reads}), the operators' commands of each of
   * {@code sets} (to its loop, or its fleet), and routes of a coordination role added by
   * {@code extra} (POST /resign).
   */
  static Routes routes(ServedSets sets, ReadEndpoints reads,
      java.util.function.Consumer<Routes.Builder> extra) {
    return routes(sets, reads, java.util.Optional.empty(), extra);
  }

  /** As above, the applications' evidence taken with bearer {@code token} (empty: none). */
  static Routes routes(ServedSets sets, ReadEndpoints reads, java.util.Optional<String> token,
      java.util.function.Consumer<Routes.Builder> extra) {
    Routes.Builder routes = Routes.builder();
    reads.register(routes);
    new PageEndpoints(new PageAssets()).register(routes);
    new CommandEndpoints(sets).register(routes);
    new EvidenceEndpoint(sets, token).register(routes);
    extra.accept(routes);
    return routes.build();
  }

  /** Binds and starts; a bind failure is a {@link ConfigException} naming the setting. */
  static StatusServer start(ListenerSettings settings, Security security, Routes routes,
      EventLog log, Ticker ticker) {
    try {
      return StatusServer.start(settings.address(), security.tls(), routes,
          PostGuard.reloadable(security::passwords, new FailureLimiter(ticker), log), log);
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
