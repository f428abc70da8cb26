package dev.valine.orchestrator.alert;

import java.time.Duration;
import java.util.List;

/**
 * Raises alerts. Never throws and never delays the caller by more than it asks: a failure to alert must
 * not become a failure to answer Discord.
 *
 * <p>Lambda freezes the process as soon as an invocation returns, so no alert may be left on a thread
 * then. Every invocation therefore ends with {@link #settle}: the alerts still undelivered are taken out
 * of this alerter's hands, and the caller hands them to something that outlives the invocation (which
 * calls {@link #resume}) or {@link #drop}s them, logged.
 */
public interface Alerter {
  void raise(Alert alert);

  /**
   * Waits at most {@code maxWait} for the alerts raised so far, then gives up every one still
   * undelivered: it will not be posted from here (one whose post is already under way may still land,
   * and its nonce makes a second post of it return the first). Returned redacted, to be handed on or
   * dropped; empty when all were delivered, held back by deduplication or failed (logged).
   */
  default List<PendingAlert> settle(Duration maxWait) {
    return List.of();
  }

  /** Takes over alerts another invocation handed on, and delivers them as if raised here. */
  default void resume(List<PendingAlert> alerts) {}

  /** Logs, once each and redacted, alerts that can be neither delivered nor handed on, and counts them as failed. */
  default void drop(List<PendingAlert> alerts, String reason) {}

  /**
   * Waits at most {@code maxWait} for alerts still being delivered, and leaves the rest where they are.
   * For tests and tools; an invocation ends with {@link #settle} instead.
   */
  default void flush(Duration maxWait) {}

  /** {@code ENABLE_ALERTS=false}: nothing is sent. */
  Alerter NONE = alert -> { };
}
