package dev.valine.orchestrator.alert;

import java.time.Instant;

/** Where an alert that passed deduplication goes: the ops channel, or the log in dry-run mode. */
interface AlertSink {
  /**
   * @param suppressedBefore similar alerts held back in the previous window, to mention in this one
   * @param raisedAt when the alert was raised: its timestamp, and what keeps its nonce the same wherever it is posted
   * @throws Exception if the alert could not be delivered; the caller logs and counts it
   */
  void deliver(Alert alert, int suppressedBefore, Instant raisedAt) throws Exception;
}
