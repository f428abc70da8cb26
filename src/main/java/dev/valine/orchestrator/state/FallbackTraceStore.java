package dev.valine.orchestrator.state;

import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStore;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store, with this container's memory underneath: every trace is kept in memory as well, and
 * when DynamoDB fails or times out (its client gives up within its call timeout) the in-memory store
 * answers, the failure is logged and counted ({@code StateStoreFallbacks}, {@code Store=traces}). A slow
 * or broken DynamoDB therefore costs a reply at most the client's timeout, never its correctness.
 */
public final class FallbackTraceStore implements TraceStore {
  // Obtained on first use: starting logback costs ~100 ms.
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(FallbackTraceStore.class);
  }

  private final Supplier<TraceStore> shared;
  private final InMemoryTraceStore local;
  private final Metrics metrics;

  /** @param shared built on first use */
  public FallbackTraceStore(Supplier<TraceStore> shared, InMemoryTraceStore local, Metrics metrics) {
    this.shared = shared;
    this.local = local;
    this.metrics = metrics;
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
    attempt("record a trace", () -> {
      shared.get().record(trace);
      return Optional.empty();
    });
  }

  @Override
  public void recordLocally(TraceRecord trace) {
    local.record(trace);
  }

  @Override
  public Optional<TraceRecord> newestFor(String userId) {
    Optional<TraceRecord> here = local.newestFor(userId);
    Optional<TraceRecord> everywhere = attempt("read a user's newest trace", () -> shared.get().newestFor(userId));
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
    return attempt("find a trace", () -> shared.get().find(traceId)).or(() -> local.find(traceId));
  }

  private Optional<TraceRecord> attempt(String what, Supplier<Optional<TraceRecord>> call) {
    try {
      return call.get();
    } catch (RuntimeException | LinkageError e) {
      metrics.stateStoreFallback("traces");
      Log.LOG.warn("trace store unavailable, used this container's memory to {}: {}", what, e.toString());
      return Optional.empty();
    }
  }
}
