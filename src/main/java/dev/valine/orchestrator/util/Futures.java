package dev.valine.orchestrator.util;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the bot's parallel upstream calls share: waiting for a batch of them, and reading how one failed. */
public final class Futures {
  private Futures() {}

  /** The failure inside a CompletableFuture's {@link CompletionException} wrapper, or the throwable itself. */
  public static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /**
   * Waits until every future is done or {@code timeout} has passed, whichever comes first. Failures are not
   * thrown: the caller inspects each future, so that one failure or laggard does not hide the others' results.
   */
  public static void awaitAll(Collection<? extends CompletableFuture<?>> futures, Duration timeout)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Inspected per future by the caller.
    }
  }
}
