package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CancellationTest {
  private final Cancellation cancellation = new Cancellation();

  @Test
  void cancelsTheWorkStillRunning() {
    CompletableFuture<String> running = cancellation.register(new CompletableFuture<>());
    CompletableFuture<String> finished = cancellation.register(CompletableFuture.completedFuture("done"));

    cancellation.cancel();

    assertTrue(running.isCancelled());
    assertFalse(finished.isCancelled());
    assertEquals(1, cancellation.cancelledWork(), "only what was still running counts");
  }

  @Test
  void cancelsWorkRegisteredAfterwardsAtOnce() {
    cancellation.cancel();

    CompletableFuture<String> late = cancellation.register(new CompletableFuture<>());

    assertTrue(late.isCancelled());
    assertEquals(1, cancellation.cancelledWork());
  }

  @Test
  void registerReturnsTheSameFutureForChaining() {
    CompletableFuture<String> call = new CompletableFuture<>();

    assertSame(call, cancellation.register(call));
  }

  @Test
  void cancellingTwiceChangesNothing() {
    cancellation.register(new CompletableFuture<>());

    cancellation.cancel();
    cancellation.cancel();

    assertTrue(cancellation.isCancelled());
    assertEquals(1, cancellation.cancelledWork());
  }
}
