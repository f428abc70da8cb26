package dev.valine.orchestrator.observability;

/**
 * The bot's operational metrics, one method per event. {@link EmfMetrics} writes them as CloudWatch
 * Embedded Metric Format lines; {@link #NONE} drops them. Never throws: a metric is never worth a reply.
 * Every method does nothing by default, so a fake or a watcher overrides only what it looks at.
 */
public interface Metrics {
  /** A command ended: {@code outcome} is its closing status ({@code ok}, {@code error}, …). */
  default void commandCompleted(String command, String outcome, long durationMs, boolean deferred) {}

  /**
   * The HTTP reply to a command went out, {@code sinceArrivalMs} after the request reached API Gateway:
   * the figure Discord holds to 3 s.
   */
  default void commandReplied(long sinceArrivalMs) {}

  /** A request was refused with 401; {@code reason} as logged ({@code stale_timestamp}, …). */
  default void signatureRejected(String reason) {}

  /** The first invocation of a container. */
  default void coldStart() {}

  /** An alert was posted to the ops channel. */
  default void alertSent() {}

  /** An alert was held back because a similar one went out in the dedup window. */
  default void alertSuppressed() {}

  /** An alert could not be delivered. */
  default void alertFailed() {}

  /**
   * Something happened to a deferred job: {@code launched} or {@code launch_failed} in the inline half;
   * {@code completed}, {@code duplicate}, {@code expired} or {@code refused} in the deferred half.
   */
  default void deferredJob(String outcome) {}

  /**
   * The shared store (DynamoDB) failed or was too slow, and the in-memory one served instead;
   * {@code store} is {@code traces} or {@code alert_dedup}.
   */
  default void stateStoreFallback(String store) {}

  /**
   * A workflow dispatch was asked for: {@code workflow} is the bot's name for it ({@code deploy},
   * {@code diagnose}), never a user's text; {@code outcome} is {@code dispatched}, {@code refused} (not allowed,
   * bad input: nothing sent), {@code failed} (GitHub said no) or {@code uncertain} (no answer: it may have started).
   */
  default void workflowDispatch(String workflow, String outcome) {}

  /**
   * Following a dispatched run ended: {@code outcome} is the run's conclusion ({@code success}, {@code failure},
   * {@code cancelled}, …), {@code still_running} when following stopped first, or {@code not_found}.
   */
  default void runFollowed(String workflow, String outcome) {}

  /** A deploy verification ended: {@code passed}, {@code failed}, or {@code error} when it could not be done. */
  default void verification(String outcome) {}

  Metrics NONE = new Metrics() {};
}
