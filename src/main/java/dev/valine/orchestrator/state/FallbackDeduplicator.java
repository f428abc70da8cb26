package dev.valine.orchestrator.state;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.Deduplicator;
import dev.valine.orchestrator.observability.Metrics;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared deduplication, falling back to this container's when DynamoDB fails: the alert is then decided
 * locally (at worst posted once per container instead of once overall), the failure logged and counted
 * ({@code StateStoreFallbacks}, {@code Store=alert_dedup}). An alert is never lost to a store failure.
 */
public final class FallbackDeduplicator implements Deduplicator {
  // Obtained on first use: starting logback costs ~100 ms.
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(FallbackDeduplicator.class);
  }

  private final Supplier<Deduplicator> shared;
  private final AlertDeduplicator local;
  private final Metrics metrics;

  /** @param shared built on first use */
  public FallbackDeduplicator(Supplier<Deduplicator> shared, AlertDeduplicator local, Metrics metrics) {
    this.shared = shared;
    this.local = local;
    this.metrics = metrics;
  }

  @Override
  public AlertDeduplicator.Decision decide(String fingerprint) {
    try {
      return shared.get().decide(fingerprint);
    } catch (RuntimeException | LinkageError e) {
      metrics.stateStoreFallback("alert_dedup");
      Log.LOG.warn("alert dedup store unavailable, decided in this container: {}", e.toString());
      return local.decide(fingerprint);
    }
  }
}
