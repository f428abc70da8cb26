package dev.valine.orchestrator.alert;

/**
 * Decides whether an alert fingerprint may be posted now. {@link AlertDeduplicator} decides per container;
 * the DynamoDB one ({@code state/DynamoAlertDeduplicator}) across containers.
 */
public interface Deduplicator {
  /** Lets the fingerprint through at most once per window, and says how many were held back before it. */
  AlertDeduplicator.Decision decide(String fingerprint);
}
