package dev.valine.orchestrator.digest;

import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Completed runs as the GitHub client hands them over, for the digest's pure parts. */
final class Runs {
  private Runs() {}

  /** A run of workflow "Deploy" numbered {@code number}, created at {@code created}, that took {@code took}. */
  static WorkflowRun completed(long number, String conclusion, Instant created, Duration took) {
    return new WorkflowRun(9_000_000_000L + number, "Deploy", number, "Release " + number, "completed", Optional.of(conclusion),
        "https://github.com/octo-org/deploy-service/actions/runs/" + (9_000_000_000L + number), "main", "push", created,
        created.plus(took), created);
  }
}
