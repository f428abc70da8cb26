package dev.valine.orchestrator.state;

import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStore;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The shared store, with this container's memory underneath: every trace is kept in memory as well, and
 * when DynamoDB fails or times out (its client gives up within its call timeout) the in-memory store
 * answers, the failure is logged and counted ({@code StateStoreFallbacks}, {@code Store=traces}). A slow
 * or broken DynamoDB therefore costs a reply at most the client's timeout, never its correctness.
 */
public final class FallbackTraceStore implements TraceStore {
  private final Supplier<TraceStore> shared;
  private final InMemoryTraceStore local;
  private final StoreFallback fallback;

  /** @param shared built on first use */
  public FallbackTraceStore(Supplier<TraceStore> shared, InMemoryTraceStore local, Metrics metrics) {
    this.shared = shared;
    this.local = local;
    this.fallback = new StoreFallback("traces", "trace store", metrics);
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
