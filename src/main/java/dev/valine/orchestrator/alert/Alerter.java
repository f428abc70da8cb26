package dev.valine.orchestrator.alert;

import java.time.Duration;

/**
 * Raises alerts. Never throws and never delays the caller by more than it asks in {@link #flush}: a
 * failure to alert must not become a failure to answer Discord.
 */
public interface Alerter {
  void raise(Alert alert);

  /**
   * Waits at most {@code maxWait} for alerts still being delivered. Called before a Lambda invocation
   * returns (the container freezes after that) with whatever time the reply can spare.
   */
  default void flush(Duration maxWait) {}

  /** {@code ENABLE_ALERTS=false}: nothing is sent. */
  Alerter NONE = alert -> { };
}
