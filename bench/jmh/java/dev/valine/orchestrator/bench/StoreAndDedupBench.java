package dev.valine.orchestrator.bench;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Trace store operations at capacity (every record evicts) and one alert deduplication decision. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoreAndDedupBench {
  private static final int CAPACITY = 100;
  private InMemoryTraceStore store;
  private TraceRecord[] traces;
  private AlertDeduplicator dedup;
  private int next;

  @Setup
  public void setUp() {
    store = new InMemoryTraceStore(CAPACITY);
    // Twice the capacity of distinct traces, over 50 users: once warm, every record evicts the oldest.
    traces = new TraceRecord[CAPACITY * 2];
    for (int i = 0; i < traces.length; i++) {
      traces[i] = new TraceRecord("trace-" + i, "corr-" + i, "status", "user-" + (i % 50), Optional.empty(), Optional.empty(),
          Instant.EPOCH, Optional.empty(), TraceStatus.OK, List.of(), Optional.empty(), Map.of());
      store.record(traces[i]);
    }
    dedup = new AlertDeduplicator(Clock.systemUTC(), Duration.ofMinutes(5), 1_000);
  }

  @Benchmark
  public void traceStoreRecordAtCapacity() {
    // Re-recording an evicted trace counts as new, so each call inserts and evicts.
    store.record(traces[next]);
    next = (next + 1) % traces.length;
  }

  @Benchmark
  public Optional<TraceRecord> traceStoreNewestForUser() {
    next = (next + 1) % 50;
    return store.newestFor("user-" + next);
  }

  @Benchmark
  public AlertDeduplicator.Decision alertDedupDecision() {
    next = (next + 1) % 8;
    return dedup.decide("critical|Command /status failed|IllegalStateException|status" + next);
  }
}
