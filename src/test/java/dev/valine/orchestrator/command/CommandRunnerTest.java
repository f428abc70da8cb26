package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.discord.InteractionResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  private final ExecutorService workers = CommandRunner.defaultWorkers(16);
  private final CommandRunner runner = new CommandRunner(() -> workers);
  private final Cancellation cancellation = new Cancellation();

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  @Test
  void refusesARunWhenEveryWorkerIsTakenInsteadOfMakingAThread() throws Exception {
    ExecutorService one = CommandRunner.defaultWorkers(1);
    CommandRunner single = new CommandRunner(() -> one);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try {
      CompletableFuture<CommandRunner.Outcome> first = CompletableFuture.supplyAsync(() -> single.run(() -> {
        started.countDown();
        release.await();
        return InteractionResponse.message("first");
      }, Duration.ofSeconds(30)));
      assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS), "the first run holds the only worker");

      CommandRunner.Outcome second = single.run(() -> InteractionResponse.message("second"), Duration.ofSeconds(30));

      assertTrue(second.failure().orElseThrow() instanceof WorkersBusyException, second.toString());
      release.countDown();
      assertEquals("first", first.get(10, java.util.concurrent.TimeUnit.SECONDS).response().orElseThrow().content());
    } finally {
      release.countDown();
      one.shutdownNow();
    }
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

  /** A deferred job renews its lease while its command works: the runner calls the heartbeat while it waits. */
  @Test
  void beatsWhileTheCommandWorks() throws Exception {
    CountDownLatch beats = new CountDownLatch(3);
    CompletableFuture<String> done = new CompletableFuture<>();

    CommandRunner.Outcome outcome = runner.run(() -> InteractionResponse.message(done.get()), Duration.ofMinutes(1), cancellation,
        Duration.ofMillis(10), () -> {
          beats.countDown();
          if (beats.getCount() == 0) {
            done.complete("done after three beats");
          }
          return true;
        });

    assertEquals("done after three beats", outcome.response().orElseThrow().content());
    assertFalse(cancellation.isCancelled());
  }

  /** A heartbeat that finds the job taken over by another attempt stops this one, its calls aborted. */
  @Test
  void givesTheRunUpWhenItsJobWasTakenOver() {
    CompletableFuture<String> call = cancellation.register(new CompletableFuture<>());

    CommandRunner.Outcome outcome = runner.run(() -> InteractionResponse.message(call.get()), Duration.ofMinutes(1), cancellation,
        Duration.ofMillis(10), () -> false);

    ProgressNotRecordedException lost = (ProgressNotRecordedException) outcome.failure().orElseThrow();
    assertTrue(lost.takenOver());
    assertTrue(call.isCancelled(), "the upstream call is aborted");
  }
}
