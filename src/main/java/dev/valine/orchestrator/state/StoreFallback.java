package dev.valine.orchestrator.state;

import dev.valine.orchestrator.observability.Metrics;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call to a shared store and, if it fails or times out, says so once in the log and the metrics
 * ({@code StateStoreFallbacks}) and lets the caller use this container's memory instead. The one place
 * where a DynamoDB failure turns into a fallback, for traces and for alert dedup alike.
 */
final class StoreFallback {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFallback.class);

  private final String store;
  private final String label;
  private final Metrics metrics;

  /**
   * @param store the metric's {@code Store} dimension ({@code traces}, {@code alert_dedup})
   * @param label how log lines name it ("trace store", "alert dedup store")
   */
  StoreFallback(String store, String label, Metrics metrics) {
    this.store = store;
    this.label = label;
    this.metrics = metrics;
  }

  /** The call's result, or empty when the shared store failed and the caller should use its memory. */
  <T> Optional<T> attempt(String what, Supplier<T> call) {
    try {
      return Optional.of(call.get());
    } catch (RuntimeException | LinkageError e) {
      metrics.stateStoreFallback(store);
      LOG.warn("{} unavailable, {} in this container's memory: {}", label, what, e.toString());
      return Optional.empty();
    }
  }
}
