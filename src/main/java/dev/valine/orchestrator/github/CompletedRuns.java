package dev.valine.orchestrator.github;

import java.util.List;

/**
 * The completed runs of a workflow in a period, newest first.
 *
 * @param truncated more runs matched than were fetched (the caller's bound, or the 1,000 results GitHub lists
 *     for a filtered search): counts over {@code runs} are then counts of the newest runs only
 */
public record CompletedRuns(List<WorkflowRun> runs, boolean truncated) {
  public CompletedRuns {
    runs = List.copyOf(runs);
  }
}
