package org.regionfailover.status.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.regionfailover.config.DurationParser;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;

/**
 * Hands an operator's command to the loop and turns its answer into a reply: 202 for an
 * accepted move (the switch runs after the answer), 200 for another accepted command, 409
 * refused with the loop's reason, 503 when the loop does not answer in time. The loop
 * itself reports the command ({@code manual_command}), so nothing is logged here.
 */
final class CommandPost {
  private final Function<Input.Command, CompletableFuture<Decision.ManualCommand>> loop;
  private final Duration wait;

  CommandPost(Function<Input.Command, CompletableFuture<Decision.ManualCommand>> loop,
      Duration wait) {
    this.loop = loop;
    this.wait = wait;
  }

  /** Posts {@code command} for {@code request}'s user and waits for the loop's answer. */
  Reply post(Input.Command command, Request request) {
    Decision.ManualCommand answer;
    try {
      answer = loop.apply(command).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // On a fleet host the answer comes from the fleet's decider through ZooKeeper.
      return Reply.text(503, "no answer in " + DurationParser.human(wait) + " (from the loop,"
          + " or on a fleet host from the fleet's decider); the " + command.name()
          + " may still happen: look at /status before asking again");
    } catch (ExecutionException e) {
      return Reply.text(503, "the loop could not take the " + command.name() + ": "
          + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.text(503, "the server is stopping");
    }
    int status = !answer.accepted() ? 409
        : command instanceof Input.MoveCommand ? 202 : 200;
    if (request.accepts("text/plain")) {
      return Reply.text(status, command.name() + (answer.accepted() ? " accepted: "
          : " refused: ") + answer.outcome() + "\n");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("command", command.name());
    body.put("accepted", answer.accepted());
    body.put("outcome", answer.outcome());
    body.put("user", command.by().user());
    return Reply.json(status, body);
  }
}
