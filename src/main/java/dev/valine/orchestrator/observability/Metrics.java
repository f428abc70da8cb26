package dev.valine.orchestrator.observability;

/**
 * The bot's operational metrics, one method per event. {@link EmfMetrics} writes them as CloudWatch
 * Embedded Metric Format lines; {@link #NONE} drops them. Never throws: a metric is never worth a reply.
 */
public interface Metrics {
  /** A command ended: {@code outcome} is its closing status ({@code ok}, {@code error}, …). */
  void commandCompleted(String command, String outcome, long durationMs, boolean deferred);

  /**
   * The HTTP reply to a command went out, {@code sinceArrivalMs} after the request reached API Gateway:
   * the figure Discord holds to 3 s.
   */
  void commandReplied(long sinceArrivalMs);

  /** A request was refused with 401; {@code reason} as logged ({@code stale_timestamp}, …). */
  void signatureRejected(String reason);

  /** The first invocation of a container. */
  void coldStart();

  /** An alert was posted to the ops channel. */
  void alertSent();

  /** An alert was held back because a similar one went out in the dedup window. */
  void alertSuppressed();

  /** An alert could not be delivered. */
  void alertFailed();

  /**
   * Something happened to a deferred job: {@code launched} or {@code launch_failed} in the inline half;
   * {@code completed}, {@code duplicate}, {@code expired} or {@code refused} in the deferred half.
   */
  void deferredJob(String outcome);

  /**
   * The shared store (DynamoDB) failed or was too slow, and the in-memory one served instead;
   * {@code store} is {@code traces} or {@code alert_dedup}.
   */
  void stateStoreFallback(String store);

  Metrics NONE = new Metrics() {
    @Override
    public void commandCompleted(String command, String outcome, long durationMs, boolean deferred) {}

    @Override
    public void commandReplied(long sinceArrivalMs) {}

    @Override
    public void signatureRejected(String reason) {}

    @Override
    public void coldStart() {}

    @Override
    public void alertSent() {}

    @Override
    public void alertSuppressed() {}

    @Override
    public void alertFailed() {}

    @Override
    public void deferredJob(String outcome) {}

    @Override
    public void stateStoreFallback(String store) {}
  };
}
