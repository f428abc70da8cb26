package dev.valine.orchestrator.state;

import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStore;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store, with this container's memory underneath: every trace is kept in memory as well, and
 * when DynamoDB fails or times out (its client gives up within its call timeout) the in-memory store
 * answers, the failure is logged and counted ({@code StateStoreFallbacks}, {@code Store=traces}). A slow
 * or broken DynamoDB therefore costs a reply at most the client's timeout, never its correctness.
 *
 * <p>On a reply's path ({@link #recordWithoutWaiting}) a client that is not built yet is not built there:
 * without SnapStart, building the SDK client is the slowest step of a cold first command. The trace is
 * kept in memory at once and written to the table by one background thread, which builds the client.
 */
public final class FallbackTraceStore implements TraceStore {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackTraceStore.class);
  // Writes waiting for the client to be built: a cold start's first few traces, never more than this.
  private static final int PENDING_WRITES = 64;

  private final Supplier<TraceStore> shared;
  private final BooleanSupplier sharedReady;
  private final InMemoryTraceStore local;
  private final StoreFallback fallback;
  private final ExecutorService background;

  /**
   * @param shared built on first use
   * @param sharedReady whether the shared store's client is built, so that a write costs no more than its call
   */
  public FallbackTraceStore(Supplier<TraceStore> shared, BooleanSupplier sharedReady, InMemoryTraceStore local, Metrics metrics) {
    this.shared = shared;
    this.sharedReady = sharedReady;
    this.local = local;
    this.fallback = new StoreFallback("traces", "trace store", metrics);
    this.background = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PENDING_WRITES), runnable -> {
      Thread thread = new Thread(runnable, "trace-store-writer");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void prepare() {
    try {
      shared.get().prepare();
    } catch (RuntimeException | LinkageError e) {
      // The record or read that needs the store falls back, and logs and counts it, there.
    }
  }

  @Override
  public void record(TraceRecord trace) {
    local.record(trace);
    fallback.attempt("kept the trace", () -> {
      shared.get().record(trace);
      return trace;
    });
  }

  @Override
  public void recordWithoutWaiting(TraceRecord trace) {
    if (sharedReady.getAsBoolean()) {
      record(trace);
      return;
    }
    local.record(trace);
    try {
      background.execute(() -> fallback.attempt("kept the trace", () -> {
        TraceStore table = shared.get();
        // A later snapshot of the same trace (the deferred half's final one, in this process) may have been
        // stored while the client was being built: never let this older one overwrite it.
        if (local.find(trace.traceId()).map(trace::equals).orElse(true)) {
          table.record(trace);
        }
        return trace;
      }));
    } catch (RejectedExecutionException e) {
      LOG.warn("trace {} kept in this container's memory only: {} writes already wait for the DynamoDB client", trace.traceId(),
          PENDING_WRITES);
    }
  }

  @Override
  public void recordLocally(TraceRecord trace) {
    local.record(trace);
  }

  @Override
  public Optional<TraceRecord> newestFor(String userId) {
    Optional<TraceRecord> here = local.newestFor(userId);
    Optional<TraceRecord> everywhere = fallback.attempt("read the user's newest trace", () -> shared.get().newestFor(userId))
        .flatMap(newest -> newest);
    // Newer of the two: a trace this container could not write to the table is still the user's newest.
    if (everywhere.isEmpty()) {
      return here;
    }
    if (here.isEmpty() || !here.get().startedAt().isAfter(everywhere.get().startedAt())) {
      return everywhere;
    }
    return here;
  }

  @Override
  public Optional<TraceRecord> find(String traceId) {
    return fallback.attempt("looked the trace up", () -> shared.get().find(traceId)).flatMap(found -> found)
        .or(() -> local.find(traceId));
  }
}
