package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.InteractionResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Runs a command's handler on a worker thread and waits for it at most a given time, so the dispatcher
 * can answer Discord on time whatever the command does. The worker logs with the caller's context (MDC
 * and Lambda fields). A run that is given up (out of time, or the caller interrupted) is over: its
 * {@link Cancellation} is cancelled, which aborts the upstream calls it registered, its worker is
 * interrupted, and its result is never used.
 */
public final class CommandRunner {
  /** How one run ended: exactly one of a response, a failure, or neither (out of time). */
  public record Outcome(Optional<InteractionResponse> response, Optional<Throwable> failure) {
    static Outcome outOfTime() {
      return new Outcome(Optional.empty(), Optional.empty());
    }

    public boolean timedOut() {
      return response.isEmpty() && failure.isEmpty();
    }
  }

  private final Supplier<ExecutorService> workers;

  /** @param workers built on the first command; never on the PING path */
  public CommandRunner(Supplier<ExecutorService> workers) {
    this.workers = workers;
  }

  /**
   * Daemon threads, created as needed and kept 60 s, at most {@code max} at once: a Lambda container runs
   * one command at a time, {@code serve} as many as its HTTP workers take in, and a given-up attempt that
   * ignores its interrupt keeps its thread. Past the bound a run is refused ({@link WorkersBusyException})
   * rather than a thread made.
   */
  public static ExecutorService defaultWorkers(int max) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, max, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread thread = new Thread(task, "command-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs a preparation on a worker and forgets it; whatever it fails at is reported by the code that needs it. */
  public void inBackground(Runnable preparation) {
    try {
      workers.get().execute(() -> {
        try {
          preparation.run();
        } catch (RuntimeException | LinkageError ignored) {
          // The call that needed this preparation fails with the same error, and reports it there.
        }
      });
    } catch (RejectedExecutionException busy) {
      // Every worker is taken: the preparation happens, later, in the call that needs it.
    }
  }

  public Outcome run(Callable<InteractionResponse> handler, Duration limit) {
    return run(handler, limit, new Cancellation());
  }

  /** @param cancellation the run's own, cancelled if the run is given up */
  public Outcome run(Callable<InteractionResponse> handler, Duration limit, Cancellation cancellation) {
    return run(handler, limit, cancellation, limit, () -> true);
  }

  /**
   * Runs the handler, and while waiting for it calls {@code heartbeat} every {@code beatEvery} on the
   * calling thread: a deferred job renews its claim's lease this way. A heartbeat answering false (the job
   * was taken over by another attempt) gives the run up at once, with a {@link ProgressNotRecordedException}
   * as its failure.
   */
  Outcome run(Callable<InteractionResponse> handler, Duration limit, Cancellation cancellation, Duration beatEvery,
      BooleanSupplier heartbeat) {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    Future<InteractionResponse> attempt;
    try {
      attempt = workers.get().submit(() -> {
        try {
          if (mdc != null) {
            MDC.setContextMap(mdc);
          }
          return handler.call();
        } finally {
          MDC.clear();
        }
      });
    } catch (RejectedExecutionException busy) {
      return new Outcome(Optional.empty(), Optional.of(new WorkersBusyException()));
    }
    long until = System.nanoTime() + Math.max(0, limit.toNanos());
    try {
      InteractionResponse response;
      while (true) {
        long left = Math.max(0, until - System.nanoTime());
        long wait = Math.min(left, beatEvery.toNanos());
        try {
          response = attempt.get(wait, TimeUnit.NANOSECONDS);
          break;
        } catch (TimeoutException e) {
          if (wait == left) {
            throw e;
          }
        }
        if (!heartbeat.getAsBoolean()) {
          giveUp(attempt, cancellation);
          return new Outcome(Optional.empty(), Optional.of(new ProgressNotRecordedException(true,
              "another attempt has taken this job over", null)));
        }
      }
      if (response == null) {
        return new Outcome(Optional.empty(), Optional.of(new IllegalStateException("the command returned no response")));
      }
      return new Outcome(Optional.of(response), Optional.empty());
    } catch (ExecutionException e) {
      return new Outcome(Optional.empty(), Optional.of(e.getCause() != null ? e.getCause() : e));
    } catch (TimeoutException e) {
      giveUp(attempt, cancellation);
      return Outcome.outOfTime();
    } catch (InterruptedException e) {
      giveUp(attempt, cancellation);
      Thread.currentThread().interrupt();
      return new Outcome(Optional.empty(), Optional.of(e));
    }
  }

  private static void giveUp(Future<?> attempt, Cancellation cancellation) {
    // The calls first: a worker waiting on them then wakes to their cancellation, not to a late answer.
    cancellation.cancel();
    attempt.cancel(true);
  }
}
