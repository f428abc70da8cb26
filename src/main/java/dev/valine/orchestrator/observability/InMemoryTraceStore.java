package dev.valine.orchestrator.observability;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Thread-safe (every method synchronized); keeps the newest {@code capacity} traces of this container,
 * at most {@value #PER_USER} of them per user, and evicts the oldest first, O(1) per operation. The
 * per-user cap keeps one busy user from pushing everyone else's last trace out: their eleventh trace
 * evicts their own oldest. Order is by first record, not by last read: reading a trace with
 * {@code /debug-last} must not keep an old trace alive at the expense of new ones.
 *
 * <p>Per container only: with several warm Lambda containers, a user's newest trace may live in another
 * one. With {@code TRACE_TABLE_NAME} set, the DynamoDB store ({@code state/}) is shared and this one sits
 * under it as the fallback.
 */
public final class InMemoryTraceStore implements TraceStore {
  /** The most traces kept for one user. */
  static final int PER_USER = 10;

  /** A trace with the user it is filed under: the first record's, so a later update cannot unbalance the index. */
  private record Kept(TraceRecord trace, String userId) {}

  private final Map<String, Kept> byTraceId;
  // Each user's trace ids, oldest first. Both maps are in first-record order, so the globally oldest
  // trace is always the oldest of its user: either eviction removes from the front of one deque.
  private final Map<String, ArrayDeque<String>> tracesByUser = new HashMap<>();

  public InMemoryTraceStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    // Wrapped, not extended: eviction also has to update the per-user index.
    this.byTraceId = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
        if (size() <= capacity) {
          return false;
        }
        forgetOldestOf(eldest.getValue().userId());
        return true;
      }
    };
  }

  @Override
  public synchronized void record(TraceRecord trace) {
    Kept previous = byTraceId.get(trace.traceId());
    if (previous != null) {
      // An update of a running trace: same place in the order, same user, counted once.
      byTraceId.put(trace.traceId(), new Kept(trace, previous.userId()));
      return;
    }
    ArrayDeque<String> own = tracesByUser.computeIfAbsent(trace.userId(), user -> new ArrayDeque<>());
    if (own.size() == PER_USER) {
      byTraceId.remove(own.removeFirst());
    }
    own.addLast(trace.traceId());
    byTraceId.put(trace.traceId(), new Kept(trace, trace.userId()));
  }

  /** Drops the user's oldest trace id from the index, and the user once none is left. */
  private void forgetOldestOf(String userId) {
    ArrayDeque<String> own = tracesByUser.get(userId);
    own.removeFirst();
    if (own.isEmpty()) {
      tracesByUser.remove(userId);
    }
  }

  @Override
  public synchronized Optional<TraceRecord> newestFor(String userId) {
    ArrayDeque<String> own = tracesByUser.get(userId);
    return own == null ? Optional.empty() : Optional.of(byTraceId.get(own.peekLast()).trace());
  }

  @Override
  public synchronized Optional<TraceRecord> find(String traceId) {
    return Optional.ofNullable(byTraceId.get(traceId)).map(Kept::trace);
  }

  public synchronized int size() {
    return byTraceId.size();
  }
}
