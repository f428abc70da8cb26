package dev.valine.orchestrator.state;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.Deduplicator;
import dev.valine.orchestrator.observability.Metrics;
import java.util.function.Supplier;

/**
 * Shared deduplication, falling back to this container's when DynamoDB fails: the alert is then decided
 * locally (at worst posted once per container instead of once overall), the failure logged and counted
 * ({@code StateStoreFallbacks}, {@code Store=alert_dedup}). An alert is never lost to a store failure.
 */
public final class FallbackDeduplicator implements Deduplicator {
  private final Supplier<Deduplicator> shared;
  private final AlertDeduplicator local;
  private final StoreFallback fallback;

  /** @param shared built on first use */
  public FallbackDeduplicator(Supplier<Deduplicator> shared, AlertDeduplicator local, Metrics metrics) {
    this.shared = shared;
    this.local = local;
    this.fallback = new StoreFallback("alert_dedup", "alert dedup store", metrics);
  }

  @Override
  public AlertDeduplicator.Decision decide(String fingerprint) {
    return fallback.attempt("decided the alert", () -> shared.get().decide(fingerprint))
        .orElseGet(() -> local.decide(fingerprint));
  }
}
