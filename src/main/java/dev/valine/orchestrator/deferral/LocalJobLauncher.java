package dev.valine.orchestrator.deferral;

import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.command.JobLauncher;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code serve}: deferred jobs (and alerts an invocation could not deliver before its reply) run on a
 * bounded pool of worker threads in this process. When every worker is busy and the queue is full,
 * launching fails and the user is told at once, rather than the job waiting past the interaction token's
 * lifetime; handed-on alerts are then logged as dropped.
 */
public final class LocalJobLauncher implements JobLauncher, AutoCloseable {
  private final Consumer<DeferredJob> runner;
  private final ThreadPoolExecutor pool;

  /** @param runner runs one job to its end; called on a worker thread */
  public LocalJobLauncher(Consumer<DeferredJob> runner, int workers, int queueCapacity) {
    this.runner = runner;
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity), task -> {
      Thread thread = new Thread(task, "deferred-job-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  @Override
  public void launch(DeferredJob job) throws JobLaunchException {
    try {
      pool.execute(() -> runner.accept(job));
    } catch (RejectedExecutionException e) {
      throw new JobLaunchException("all " + pool.getMaximumPoolSize() + " deferred-job workers are busy and "
          + pool.getQueue().size() + " jobs are waiting", e);
    }
  }

  /** Lets running jobs finish within {@code seconds}; for an orderly shutdown of {@code serve} and tests. */
  public boolean drain(long seconds) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
