package dev.valine.orchestrator.alert;

/** Where an alert that passed deduplication goes: the ops channel, or the log in dry-run mode. */
interface AlertSink {
  /**
   * @param suppressedBefore similar alerts held back in the previous window, to mention in this one
   * @throws Exception if the alert could not be delivered; the caller logs and counts it
   */
  void deliver(Alert alert, int suppressedBefore) throws Exception;
}
