package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.github.RunJob;
import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How following a run ended. */
sealed interface Followed {
  /**
   * The run completed.
   *
   * @param failedJobs the jobs that failed, for a run that failed; empty otherwise or when they could not be read
   */
  record Finished(WorkflowRun run, List<RunJob> failedJobs) implements Followed {
    public Finished {
      failedJobs = List.copyOf(failedJobs);
    }
  }

  /** Following stopped (14 minutes, or the command's time) while the run was still going. */
  record StillRunning(Optional<WorkflowRun> last, Optional<String> link, Duration sinceDispatch) implements Followed {}

  /** GitHub stopped answering about the run, or refused to. */
  record Lost(String reason, Optional<WorkflowRun> last, Optional<String> link) implements Followed {}
}
