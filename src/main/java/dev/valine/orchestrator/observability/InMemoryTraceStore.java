package dev.valine.orchestrator.observability;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Thread-safe (every method synchronized); keeps the newest {@code capacity} traces of this container and
 * evicts the oldest first, O(1) per operation. Order is by first record, not by last read: reading a trace
 * with {@code /debug-last} must not keep an old trace alive at the expense of new ones.
 *
 * <p>Per container only: with several warm Lambda containers, a user's newest trace may live in another
 * one. With {@code TRACE_TABLE_NAME} set, the DynamoDB store ({@code state/}) is shared and this one sits
 * under it as the fallback.
 */
public final class InMemoryTraceStore implements TraceStore {
  private final Map<String, TraceRecord> byTraceId;
  private final Map<String, String> newestTraceByUser = new HashMap<>();

  public InMemoryTraceStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    // Wrapped, not extended: eviction also has to update the per-user index.
    this.byTraceId = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TraceRecord> eldest) {
        if (size() <= capacity) {
          return false;
        }
        // Traces are evicted oldest first, so when a user's newest trace goes, all of theirs are gone.
        newestTraceByUser.remove(eldest.getValue().userId(), eldest.getKey());
        return true;
      }
    };
  }

  @Override
  public synchronized void record(TraceRecord trace) {
    boolean isNew = !byTraceId.containsKey(trace.traceId());
    byTraceId.put(trace.traceId(), trace);
    if (isNew) {
      newestTraceByUser.put(trace.userId(), trace.traceId());
    }
  }

  @Override
  public synchronized Optional<TraceRecord> newestFor(String userId) {
    String traceId = newestTraceByUser.get(userId);
    return traceId == null ? Optional.empty() : Optional.ofNullable(byTraceId.get(traceId));
  }

  @Override
  public synchronized Optional<TraceRecord> find(String traceId) {
    return Optional.ofNullable(byTraceId.get(traceId));
  }

  public synchronized int size() {
    return byTraceId.size();
  }
}
