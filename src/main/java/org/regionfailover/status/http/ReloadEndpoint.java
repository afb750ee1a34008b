package org.regionfailover.status.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.ReloadOutcome;

/**
 * {@code POST /reload}, authenticated like the other commands: reads the settings files
 * again as a SIGHUP does and answers what the reload did: 200 with the changes (none, some,
 * and the settings waiting for a restart), 422 with the reason a file was rejected, 503
 * while reloads cannot run yet (start-up), 202 when the reload takes longer than the wait
 * (a loop finishes a switch before it takes new settings): its outcome is logged.
 */
public final class ReloadEndpoint {
  /** Longer than a command's wait: a reload reads files, and may wait for a loop's step. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  private final Function<String, CompletableFuture<ReloadOutcome>> reload;
  private final Duration wait;

  /** {@code reload}: asks for a reload on behalf of a user and gives its outcome. */
  public ReloadEndpoint(Function<String, CompletableFuture<ReloadOutcome>> reload) {
    this(reload, ANSWER_WITHIN);
  }

  /** Waits at most {@code wait} for the outcome. */
  public ReloadEndpoint(Function<String, CompletableFuture<ReloadOutcome>> reload,
      Duration wait) {
    this.reload = reload;
    this.wait = wait;
  }

  /** Adds {@code POST /reload} to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.post("/reload", this::reload);
  }

  Reply reload(Request r) {
    ReloadOutcome outcome;
    try {
      outcome = reload.apply(r.user()).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return Reply.text(202, "the reload is under way but took longer than "
          + DurationParser.human(wait) + " (a loop ends a switch in progress before it takes"
          + " new settings); its outcome will be logged as reload_applied, reload_unchanged"
          + " or reload_rejected\n");
    } catch (ExecutionException e) {
      return Reply.text(503, "cannot reload now: " + e.getCause().getMessage() + "\n")
          .withHeader("Retry-After", "5");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.text(503, "the server is stopping\n");
    }
    int status = outcome.kind() == ReloadOutcome.Kind.REJECTED ? 422 : 200;
    if (r.accepts("text/plain")) {
      return Reply.text(status, text(outcome));
    }
    Map<String, Object> body = new java.util.LinkedHashMap<>(outcome.fields());
    body.put("user", r.user());
    return Reply.json(status, body);
  }

  private static String text(ReloadOutcome o) {
    return switch (o.kind()) {
      case REJECTED -> "reload rejected, nothing changed: " + o.rejection().orElse("") + "\n";
      case UNCHANGED -> "reload: nothing changed" + pending(o) + "\n";
      case APPLIED -> "reload applied: " + String.join(", ", java.util.stream.Stream.of(
              o.applied().stream().map(Object::toString),
              o.setsAdded().stream().map(s -> "set added " + s),
              o.setsRemoved().stream().map(s -> "set removed " + s),
              o.files().stream().map(f -> "read again " + f))
          .flatMap(s -> s).toList()) + pending(o) + "\n";
    };
  }

  private static String pending(ReloadOutcome o) {
    return o.partial() ? "; waiting for a restart: " + String.join(", ",
        o.pending().stream().map(Object::toString).toList()) : "";
  }
}
