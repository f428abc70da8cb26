package dev.valine.orchestrator.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FuturesTest {
  @Test
  void findsTheFailureInsideACompletionWrapperAndLeavesOthersAlone() {
    IOException failure = new IOException("connection reset");

    assertSame(failure, Futures.cause(new CompletionException(failure)));
    assertSame(failure, Futures.cause(failure));
  }

  @Test
  void waitsForEveryFutureAndThrowsNoneOfTheirFailures() throws Exception {
    CompletableFuture<String> done = CompletableFuture.completedFuture("runs");
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IOException("502"));

    Futures.awaitAll(List.of(done, failed), Duration.ofSeconds(5));

    assertTrue(done.isDone() && failed.isCompletedExceptionally());
  }

  @Test
  void stopsWaitingAtTheTimeoutLeavingALaggardRunning() throws Exception {
    CompletableFuture<String> laggard = new CompletableFuture<>();

    Futures.awaitAll(List.of(laggard), Duration.ZERO);

    assertFalse(laggard.isDone(), "the caller decides what to do with it");
  }
}
