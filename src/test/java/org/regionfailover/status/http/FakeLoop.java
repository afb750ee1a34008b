package org.regionfailover.status.http;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.regionfailover.decide.Decision;
import org.regionfailover.decide.Input;

/** Stands in for the loop: records each command and answers as told (accept by default). */
final class FakeLoop implements Function<Input.Command, CompletableFuture<Decision.ManualCommand>> {
  final List<Input.Command> commands = new CopyOnWriteArrayList<>();
  volatile Function<Input.Command, CompletableFuture<Decision.ManualCommand>> answer =
      c -> CompletableFuture.completedFuture(new Decision.ManualCommand(c, true, "done"));

  @Override
  public CompletableFuture<Decision.ManualCommand> apply(Input.Command command) {
    commands.add(command);
    return answer.apply(command);
  }

  void refuse(String why) {
    answer = c -> CompletableFuture.completedFuture(new Decision.ManualCommand(c, false, why));
  }

  void neverAnswer() {
    answer = c -> new CompletableFuture<>();
  }
}
