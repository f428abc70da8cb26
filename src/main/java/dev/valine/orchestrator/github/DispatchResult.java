package dev.valine.orchestrator.github;

import java.time.Instant;
import java.util.Optional;

/**
 * What a workflow dispatch gave back. GitHub names the run it started when asked with
 * {@code return_run_details} (docs: https://github.blog/changelog/2026-02-19-workflow-dispatch-api-now-returns-run-ids);
 * an older GitHub Enterprise answers 204 without it, and the run must be found by its correlation id
 * ({@link GitHubClient#findDispatchedRun}).
 *
 * @param runId {@code workflow_run_id}, empty when GitHub did not say
 * @param htmlUrl the run's page, empty when GitHub did not say
 * @param requestedAt our clock when the dispatch was first sent: the earliest the run can have been created
 */
public record DispatchResult(Optional<Long> runId, Optional<String> htmlUrl, Instant requestedAt) {

  public boolean runKnown() {
    return runId.isPresent();
  }

  /** For a reply or a log line: "dispatched, run 42" or "dispatched, run id unknown". */
  public String describe() {
    return runId.map(id -> "dispatched, run " + id).orElse("dispatched, run id unknown");
  }
}
