package dev.valine.orchestrator.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One GitHub Actions workflow run, as much as the commands show.
 *
 * @param workflowName the run's {@code name}, the workflow's name
 * @param title {@code display_title}: the workflow's {@code run-name} when it sets one, else a commit or pull request title
 * @param status GitHub's status: queued, in_progress, completed, waiting, requested, pending
 * @param conclusion set once completed: success, failure, cancelled, skipped, timed_out, …
 * @param startedAt {@code run_started_at}, or {@code created_at} when GitHub omits it
 * @param createdAt {@code created_at}: when the run was queued, the instant GitHub's {@code created} filter compares
 */
public record WorkflowRun(
    long id,
    String workflowName,
    long runNumber,
    String title,
    String status,
    Optional<String> conclusion,
    String htmlUrl,
    String branch,
    String event,
    Instant startedAt,
    Instant updatedAt,
    Instant createdAt) {

  /** What the run amounts to for someone glancing at {@code /status}. */
  public enum Outcome { SUCCESS, FAILURE, RUNNING, QUEUED, CANCELLED, OTHER }

  public Outcome outcome() {
    if (!"completed".equals(status)) {
      return "in_progress".equals(status) ? Outcome.RUNNING : Outcome.QUEUED;
    }
    switch (conclusion.orElse("")) {
      case "success":
        return Outcome.SUCCESS;
      case "failure":
      case "timed_out":
      case "startup_failure":
        return Outcome.FAILURE;
      case "cancelled":
        return Outcome.CANCELLED;
      default:
        return Outcome.OTHER;
    }
  }

  /** How long the run took, or has been running so far if it is not finished. */
  public Duration duration(Instant now) {
    Instant end = status.equals("completed") ? updatedAt : now;
    Duration duration = Duration.between(startedAt, end);
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
