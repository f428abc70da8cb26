package dev.valine.orchestrator.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Stops the work one run of a command started once that run is given up. When the inline budget runs
 * out, the deferred half runs the command again from the start; without this, the inline attempt's
 * upstream calls would keep running (and, for a write, land) meanwhile. A command registers each
 * asynchronous call it starts; cancelling the call's future aborts the request (the GitHub client cancels
 * its HTTP calls so).
 *
 * <p>Thread-safe. Work registered after cancellation is cancelled at once. Finished work is forgotten as
 * new work arrives, so a long run holds only what is still running.
 */
public final class Cancellation {
  private final List<Future<?>> work = new ArrayList<>();
  private boolean cancelled;
  private int cancelledWork;

  /** Cancels {@code future} when this is cancelled, or now if it already is; returns it, for chaining. */
  public <F extends Future<?>> F register(F future) {
    boolean now;
    synchronized (this) {
      now = cancelled;
      if (!now) {
        work.removeIf(Future::isDone);
        work.add(future);
      }
    }
    if (now && future.cancel(true)) {
      synchronized (this) {
        cancelledWork++;
      }
    }
    return future;
  }

  /** Cancels every registered piece of work that is still running. Idempotent. */
  public void cancel() {
    List<Future<?>> running;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      running = List.copyOf(work);
      work.clear();
    }
    // Outside the lock: cancelling runs the work's own completion callbacks.
    int stopped = 0;
    for (Future<?> future : running) {
      if (future.cancel(true)) {
        stopped++;
      }
    }
    synchronized (this) {
      cancelledWork += stopped;
    }
  }

  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /** How many registered pieces of work were still running when cancelled, for the log. */
  public synchronized int cancelledWork() {
    return cancelledWork;
  }
}
