package dev.valine.orchestrator.observability;

import java.util.Optional;

/** Where finished traces are kept for {@code /debug-last}. Implementations are safe under concurrent use. */
public interface TraceStore {
  /** Stores a trace, replacing an earlier snapshot with the same trace id. */
  void record(TraceRecord trace);

  /**
   * Stores a trace where it costs no wait: for a shared store, only in this container's memory. Used when
   * a reply cannot afford a network call.
   */
  default void recordLocally(TraceRecord trace) {
    record(trace);
  }

  /**
   * Stores a trace on a reply's path: like {@link #record}, but a shared store whose client is not built
   * yet (a cold start without SnapStart) keeps the trace in memory now and writes it to the table in the
   * background, rather than make the reply wait for the client.
   */
  default void recordWithoutWaiting(TraceRecord trace) {
    record(trace);
  }

  /** The newest trace of this user, never anyone else's. */
  Optional<TraceRecord> newestFor(String userId);

  Optional<TraceRecord> find(String traceId);

  /**
   * Gets ready for the first {@link #record} while a command runs, for example by building a client;
   * called on a background thread. Failures surface, and are handled, in the calls that need it.
   */
  default void prepare() {}
}
