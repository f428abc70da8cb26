package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.discord.InteractionResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  private final ExecutorService workers = CommandRunner.defaultWorkers();
  private final CommandRunner runner = new CommandRunner(() -> workers);
  private final Cancellation cancellation = new Cancellation();

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  @Test
  void cancelsTheCallsOfARunThatRanOutOfTime() {
    // A call the command started and waits for; an answer that never comes.
    CompletableFuture<String> call = cancellation.register(new CompletableFuture<>());

    CommandRunner.Outcome outcome = runner.run(() -> InteractionResponse.message(call.get()), Duration.ofMillis(50), cancellation);

    assertTrue(outcome.timedOut());
    assertTrue(call.isCancelled(), "the upstream call is aborted, not left running");
    assertTrue(cancellation.isCancelled());
  }

  @Test
  void leavesTheCallsOfAFinishedRunAlone() {
    CompletableFuture<String> background = new CompletableFuture<>();

    CommandRunner.Outcome outcome = runner.run(() -> {
      cancellation.register(background);
      return InteractionResponse.message("done");
    }, Duration.ofSeconds(10), cancellation);

    assertEquals("done", outcome.response().orElseThrow().content());
    assertFalse(background.isCancelled());
    assertFalse(cancellation.isCancelled());
  }

  @Test
  void reportsAFailureAsAFailureNotAsATimeout() {
    CommandRunner.Outcome outcome = runner.run(() -> {
      throw new IllegalStateException("boom");
    }, Duration.ofSeconds(10), cancellation);

    assertFalse(outcome.timedOut());
    assertEquals("boom", outcome.failure().orElseThrow().getMessage());
    assertFalse(cancellation.isCancelled());
  }
}
