package dev.valine.orchestrator.github;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One job of a workflow run, with its steps (docs: https://docs.github.com/en/rest/actions/workflow-jobs).
 *
 * @param status queued, in_progress, completed, waiting, requested, pending
 * @param conclusion set once completed: success, failure, cancelled, skipped, timed_out, …
 */
public record RunJob(
    long id,
    String name,
    String status,
    Optional<String> conclusion,
    String htmlUrl,
    Optional<Instant> startedAt,
    Optional<Instant> completedAt,
    List<Step> steps) {

  // The conclusions that mean "this broke", as WorkflowRun.Outcome counts them.
  private static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure");

  public RunJob {
    steps = List.copyOf(steps);
  }

  /** One step of a job. */
  public record Step(String name, int number, String status, Optional<String> conclusion) {
    public boolean failed() {
      return conclusion.filter(FAILED::contains).isPresent();
    }
  }

  public boolean failed() {
    return conclusion.filter(FAILED::contains).isPresent();
  }

  /** The steps that failed, in order; empty for a job that failed before any step ran. */
  public List<Step> failedSteps() {
    return steps.stream().filter(Step::failed).toList();
  }
}
