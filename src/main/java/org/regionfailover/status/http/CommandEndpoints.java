package org.regionfailover.status.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.regionfailover.config.ConfigException;
import org.regionfailover.config.DurationParser;
import org.regionfailover.config.Region;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;
import org.regionfailover.decide.Operator;

/**
 * The operators' commands, each an authenticated POST: {@code /failback} (to the preferred
 * region), {@code /region/NAME}, {@code /hold} and {@code /release}. They only parse the
 * request and post the command; the loop decides whether it is allowed.
 */
public final class CommandEndpoints {
  /** Long enough for a busy loop, short enough that a client does not give up first. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  /** A hold's reason shows in the status and the log: a sentence, not an essay. */
  static final int MAX_REASON = 200;

  private final List<Region> order;
  private final CommandPost post;

  /** {@code order}: the failover order, preferred region first; {@code loop}: takes commands. */
  public CommandEndpoints(List<Region> order,
      Function<Input.Command, CompletableFuture<Decision.ManualCommand>> loop) {
    this(order, loop, ANSWER_WITHIN);
  }

  /** Waits at most {@code wait} for the loop's answer. */
  public CommandEndpoints(List<Region> order,
      Function<Input.Command, CompletableFuture<Decision.ManualCommand>> loop, Duration wait) {
    this.order = List.copyOf(order);
    this.post = new CommandPost(loop, wait);
  }

  /** Adds the four commands to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.post("/failback", this::failback)
        .postPrefix("/region/", this::region)
        .post("/hold", this::hold)
        .post("/release", this::release);
  }

  Reply failback(Request r) {
    return force(r).map(force -> post.post(new Input.MoveCommand(0, force, "failback",
        operator(r)), r)).orElseGet(() -> badForce(r));
  }

  Reply region(Request r) {
    String name = r.rest().strip().toUpperCase(Locale.ROOT);
    int index = -1;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).name().equals(name)) {
        index = i;
      }
    }
    if (index < 0) {
      return Reply.text(404, "no region '" + ConfigException.shown(r.rest()) + "'; the regions"
          + " are " + String.join(", ", order.stream().map(Region::name).toList()));
    }
    int target = index;
    return force(r).map(force -> post.post(new Input.MoveCommand(target, force, "region",
        operator(r)), r)).orElseGet(() -> badForce(r));
  }

  Reply hold(Request r) {
    Duration duration = null;
    Optional<String> forText = r.query("for");
    if (forText.isPresent()) {
      try {
        duration = DurationParser.parse("for", forText.get());
      } catch (ConfigException e) {
        return Reply.text(400, e.getMessage() + "; leave it out to hold until released");
      }
    }
    String type = r.header("Content-Type").orElse("text/plain").toLowerCase(Locale.ROOT);
    String reason;
    if (r.body().isBlank()) {
      reason = r.query("reason").orElse("");
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      try {
        reason = formField(r.body(), "reason").orElse(r.query("reason").orElse(""));
      } catch (IllegalArgumentException e) {
        return Reply.text(400, "malformed form body: " + e.getMessage());
      }
    } else if (type.startsWith("text/plain")) {
      reason = r.body();
    } else {
      return Reply.text(415, "the reason is sent as application/x-www-form-urlencoded"
          + " (reason=...) or text/plain, not " + type);
    }
    reason = clean(reason);
    if (reason.isEmpty()) {
      reason = "held by " + r.user();
    }
    return post.post(new Input.HoldCommand(duration, reason, operator(r)), r);
  }

  Reply release(Request r) {
    return post.post(new Input.ReleaseCommand(operator(r)), r);
  }

  /** The reason as it may be shown: no control characters, at most {@link #MAX_REASON}. */
  static String clean(String reason) {
    StringBuilder b = new StringBuilder();
    reason.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x2028 && c != 0x2029)
        .limit(MAX_REASON).forEach(b::appendCodePoint);
    return b.toString().strip();
  }

  private static Optional<Boolean> force(Request r) {
    String f = r.query("force").orElse("false").toLowerCase(Locale.ROOT);
    return switch (f) {
      case "true", "" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  private static Reply badForce(Request r) {
    return Reply.text(400, "force: '" + ConfigException.shown(r.query("force").orElse(""))
        + "' is not valid; expected true or false");
  }

  private static Operator operator(Request r) {
    return new Operator(r.user(), r.remoteAddress());
  }

  /** Field {@code name} of a form body; a bad %-escape throws IllegalArgumentException. */
  private static Optional<String> formField(String body, String name) {
    for (String pair : body.strip().split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return Optional.of(eq < 0 ? ""
            : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
