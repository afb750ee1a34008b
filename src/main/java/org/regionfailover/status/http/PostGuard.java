package org.regionfailover.status.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.regionfailover.config.ConfigException;
import org.regionfailover.report.Event;
import org.regionfailover.report.EventLog;

/**
 * Lets a command (a POST) through, or answers why not, in this order: a browser's
 * cross-site request (CSRF), manual control off, no credentials (401, not a failure), an
 * address and user with too many failures (before any bcrypt, so a flood costs nothing),
 * then HTTP basic credentials against the htpasswd file.
 */
public final class PostGuard {
  static final String REALM = "Basic realm=\"region-failover\", charset=\"UTF-8\"";

  /** The request with its user, or the answer refusing it. */
  public record Admission(Request request, Reply refusal) {
    /** Whether the command may run. */
    public boolean admitted() {
      return refusal == null;
    }
  }

  private final Supplier<PasswordCheck> passwords;
  private final FailureLimiter limiter;
  private final EventLog log;

  /** {@code passwords} null: manual control is off and every POST is refused. */
  public PostGuard(PasswordCheck passwords, FailureLimiter limiter, EventLog log) {
    this((Supplier<PasswordCheck>) () -> passwords, limiter, log);
  }

  /**
   * Checks against whatever {@code passwords} gives at each request (a reload swaps the
   * htpasswd file read; null: manual control is off). The failure counts stay across a swap.
   */
  public static PostGuard reloadable(Supplier<PasswordCheck> passwords, FailureLimiter limiter,
      EventLog log) {
    return new PostGuard(passwords, limiter, log);
  }

  private PostGuard(Supplier<PasswordCheck> passwords, FailureLimiter limiter, EventLog log) {
    this.passwords = passwords;
    this.limiter = limiter;
    this.log = log;
  }

  /** Whether commands can be posted at all (now: a reload may turn it on or off). */
  public boolean manualControl() {
    return passwords.get() != null;
  }

  /**
   * Checks {@code request}, which reached a server whose scheme is {@code scheme}, and whose
   * Host the {@link HostCheck} already accepted: Origin is compared with it.
   */
  public Admission admit(Request request, String scheme) {
    // Read once: a reload swapping the file mid-request must not mix two files.
    PasswordCheck passwords = this.passwords.get();
    Optional<String> origin = request.header("Origin");
    if (origin.isPresent() && !sameOrigin(origin.get(), scheme, request.header("Host"))) {
      // Browsers send Origin on every cross-site POST: a page elsewhere cannot use an
      // operator's cached credentials to move this host.
      return refuse(Reply.text(403, "cross-origin request refused: Origin "
          + origin.get() + " is not this server"));
    }
    if (passwords == null) {
      return refuse(Reply.text(403, "manual control is off"));
    }
    String address = request.remoteAddress();
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty()) {
      // A browser's first try never has credentials: it asks the user after this 401.
      // Not a failure, or every click on the page would count against the limit.
      return refuse(challenge("authentication required"));
    }
    Optional<BasicCredentials> credentials = BasicCredentials.parse(header.get());
    // Counted per address and user (a malformed credential under ""), and checked before
    // any bcrypt: a flood against one user costs nothing and locks no one else out.
    String user = credentials.map(BasicCredentials::user).orElse("");
    Duration blocked = limiter.blockedFor(address, user);
    if (!blocked.isZero()) {
      long seconds = Math.max(1, (blocked.toMillis() + 999) / 1000);
      return refuse(Reply.text(429, "too many failed logins" + (user.isEmpty() ? ""
              : " for '" + ConfigException.shown(user) + "'") + " from " + address
              + "; try again in " + seconds + " s")
          .withHeader("Retry-After", Long.toString(seconds)));
    }
    if (credentials.isEmpty()) {
      return failed(address, null, "malformed basic credentials");
    }
    BasicCredentials c = credentials.get();
    return switch (passwords.check(c.user(), c.password())) {
      case RIGHT -> new Admission(request.withUser(c.user()), null);
      case WRONG -> failed(address, c.user(), passwords.knows(c.user()) ? "wrong password"
          : "unknown user");
      // Not a failure: the client did nothing wrong, and nothing was checked.
      case BUSY -> refuse(Reply.text(503, "busy checking passwords; try again")
          .withHeader("Retry-After", "1"));
    };
  }

  private Admission failed(String address, String user, String reason) {
    int failures = limiter.failed(address, user);
    String who = user == null ? "(no user)" : "'" + user + "'";
    log.emit(Event.warn("auth_failed", "login failed for " + who + " from " + address + ": "
            + reason)
        .with("user", user).with("address", address).with("reason", reason)
        .with("failures", failures));
    if (failures >= limiter.maxFailures()) {
      log.emit(Event.warn("auth_throttled", who + " from " + address + " failed to log in "
              + failures + " times within " + limiter.window().toSeconds() + " s: logins"
              + " as that user from that address are refused (429) until the oldest of them"
              + " is that old; other users are not affected")
          .with("address", address).with("user", user == null ? "" : user)
          .with("failures", failures));
    }
    return refuse(challenge("wrong user name or password"));
  }

  private static Reply challenge(String text) {
    return Reply.text(401, text).withHeader("WWW-Authenticate", REALM);
  }

  private static Admission refuse(Reply reply) {
    return new Admission(null, reply);
  }

  private static boolean sameOrigin(String origin, String scheme, Optional<String> host) {
    return host.isPresent() && origin.strip().toLowerCase(Locale.ROOT)
        .equals(scheme + "://" + host.get().strip().toLowerCase(Locale.ROOT));
  }
}
