package org.regionfailover.status.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 * region), {@code /region/NAME}, {@code /hold} (optionally {@code from} a time with an
 * offset, {@code for} a duration) and {@code /release}, for set {@code S} under
 * {@code /set/S/} ({@code POST /set/S/region/APAC}). The paths without a set answer for the
 * one set when there is exactly one; with several they are refused with the per-set path to
 * use. They only parse the request and post the command to the set's loop; the loop decides
 * whether it is allowed.
 */
public final class CommandEndpoints {
  /** Long enough for a busy loop, short enough that a client does not give up first. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  /** A hold's reason shows in the status and the log: a sentence, not an essay. */
  static final int MAX_REASON = 200;
  private static final String COMMANDS = "failback, region/NAME, hold, release";

  private final ServedSets sets;
  private final Duration wait;

  /** Commands for {@code sets}, each waiting at most {@code wait} for its loop's answer. */
  public CommandEndpoints(ServedSets sets, Duration wait) {
    this.sets = Objects.requireNonNull(sets, "sets");
    this.wait = Objects.requireNonNull(wait, "wait");
  }

  /** Commands for {@code sets}, waiting {@link #ANSWER_WITHIN}. */
  public CommandEndpoints(ServedSets sets) {
    this(sets, ANSWER_WITHIN);
  }

  /** {@code order}: the failover order, preferred region first; {@code loop}: takes commands. */
  public CommandEndpoints(List<Region> order,
      Function<Input.Command, CompletableFuture<Decision.ManualCommand>> loop) {
    this(order, loop, ANSWER_WITHIN);
  }

  /** One set, {@code default}; waits at most {@code wait} for the loop's answer. */
  public CommandEndpoints(List<Region> order,
      Function<Input.Command, CompletableFuture<Decision.ManualCommand>> loop, Duration wait) {
    this(new ServedSets(List.of(new ServedSet("default", () -> null, order, loop))), wait);
  }

  /** Adds the four commands, and the same for each set under {@code /set/}, to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.post("/failback", r -> single(r, this::failback))
        .postPrefix("/region/", r -> single(r, this::region))
        .post("/hold", r -> single(r, this::hold))
        .post("/release", r -> single(r, this::release))
        .postPrefix("/set/", this::ofSet);
  }

  /** One of the four commands of one set. */
  @FunctionalInterface
  private interface SetCommand {
    Reply handle(ServedSet set, Request r);
  }

  /** A path without a set: the one set's, or refused when there are several. */
  private Reply single(Request r, SetCommand command) {
    Optional<ServedSet> set = sets.single();
    if (set.isPresent()) {
      return command.handle(set.get(), r);
    }
    String path = r.path().substring(1);
    List<ServedSet> all = sets.all();
    return all.isEmpty() ? Reply.text(503, "no failover set runs yet; try again in a few"
        + " seconds")
        : Reply.text(409, "this process runs several failover sets (" + sets.names()
            + "): POST /set/NAME/" + path + " for one of them, e.g. /set/" + all.get(0).name()
            + "/" + path);
  }

  /** {@code /set/NAME/COMMAND}: a command for set NAME. */
  Reply ofSet(Request r) {
    return sets.ofSet(r, (set, command) -> command(set, command, r));
  }

  private Reply command(ServedSet set, String command, Request r) {
    if (command.startsWith("region/") && command.length() > "region/".length()) {
      return region(set, r.withRest(command.substring("region/".length())));
    }
    return switch (command) {
      case "failback" -> failback(set, r);
      case "hold" -> hold(set, r);
      case "release" -> release(set, r);
      default -> Reply.text(404, "no command '" + ConfigException.shown(command) + "' for set "
          + set.name() + "; the commands are " + COMMANDS);
    };
  }

  Reply failback(ServedSet set, Request r) {
    return force(r).map(force -> post(set).post(new Input.MoveCommand(0, force, "failback",
        operator(r)), r)).orElseGet(() -> badForce(r));
  }

  Reply region(ServedSet set, Request r) {
    List<Region> order = set.order();
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
    return force(r).map(force -> post(set).post(new Input.MoveCommand(target, force, "region",
        operator(r)), r)).orElseGet(() -> badForce(r));
  }

  Reply hold(ServedSet set, Request r) {
    Duration duration = null;
    Optional<String> forText = r.query("for");
    if (forText.isPresent()) {
      try {
        duration = DurationParser.parse("for", forText.get());
      } catch (ConfigException e) {
        return Reply.text(400, e.getMessage() + "; leave it out to hold until released");
      }
    }
    java.time.Instant from = null;
    Optional<String> fromText = r.query("from");
    if (fromText.isPresent()) {
      try {
        from = org.regionfailover.config.MaintenanceFile.time("from", fromText.get());
      } catch (IllegalArgumentException e) {
        return Reply.text(400, e.getMessage() + "; leave it out to hold from now");
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
    return post(set).post(new Input.HoldCommand(duration, reason, operator(r), from, false), r);
  }

  Reply release(ServedSet set, Request r) {
    return post(set).post(new Input.ReleaseCommand(operator(r)), r);
  }

  private CommandPost post(ServedSet set) {
    return new CommandPost(set.commands(), wait);
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
