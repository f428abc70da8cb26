package dev.valine.orchestrator.digest;

import dev.valine.orchestrator.github.CompletedRuns;
import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The numbers of one workflow's completed runs in a period.
 *
 * <p>Failures are runs concluded {@code failure}, {@code timed_out} or {@code startup_failure}. Runs concluded
 * {@code cancelled}, {@code skipped}, {@code neutral}, {@code action_required} or {@code stale} say nothing about
 * whether the workflow works: they are counted as {@code otherRuns}, and left out of the success rate and the
 * durations (a skipped run takes no time, a cancelled one is cut short).
 *
 * @param runs every completed run fetched, whatever its conclusion
 * @param truncated more runs matched than were fetched: the numbers are those of the newest {@code runs}
 * @param median the median duration of the runs that succeeded or failed (the mean of the middle two when even)
 * @param slowest the longest duration among those runs
 */
record WorkflowDigest(String workflow, int runs, int successes, int failures, int otherRuns, boolean truncated,
    Optional<Duration> median, Optional<Duration> slowest, Optional<WorkflowRun> newestFailure) {

  static WorkflowDigest of(String workflow, CompletedRuns completed) {
    int successes = 0;
    int failures = 0;
    List<Duration> durations = new ArrayList<>();
    WorkflowRun newestFailure = null;
    for (WorkflowRun run : completed.runs()) {
      WorkflowRun.Outcome outcome = run.outcome();
      if (outcome == WorkflowRun.Outcome.SUCCESS) {
        successes++;
      } else if (outcome == WorkflowRun.Outcome.FAILURE) {
        failures++;
        if (newestFailure == null || run.createdAt().isAfter(newestFailure.createdAt())) {
          newestFailure = run;
        }
      } else {
        continue;
      }
      // A completed run's duration ends at its last update, whatever instant is passed.
      durations.add(run.duration(run.updatedAt()));
    }
    durations.sort(Comparator.naturalOrder());
    return new WorkflowDigest(workflow, completed.runs().size(), successes, failures,
        completed.runs().size() - successes - failures, completed.truncated(), median(durations),
        durations.isEmpty() ? Optional.empty() : Optional.of(durations.get(durations.size() - 1)), Optional.ofNullable(newestFailure));
  }

  private static Optional<Duration> median(List<Duration> sorted) {
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    int middle = sorted.size() / 2;
    return Optional.of(sorted.size() % 2 == 1 ? sorted.get(middle) : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2));
  }

  /**
   * Successes over successes and failures, in percent rounded down (so 100% means no failure at all); empty
   * when no run succeeded or failed.
   */
  OptionalInt successRate() {
    int decided = successes + failures;
    return decided == 0 ? OptionalInt.empty() : OptionalInt.of((int) (100L * successes / decided));
  }
}
