package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.discord.Markdown;
import dev.valine.orchestrator.github.RunJob;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.time.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The words of a followed run: interim states for the reply's updates, and the last answer. */
final class RunReport {
  // Enough failed jobs to act on; the run's page has the rest.
  private static final int MAX_FAILED_JOBS = 8;
  private static final int MAX_FAILED_STEPS = 3;

  private RunReport() {}

  static String dispatched(DispatchTarget target, Optional<String> link) {
    return "🚀 Dispatched " + RunText.name(target.workflow()) + ". Waiting for the run to start…"
        + link.map(url -> "\n" + RunText.link(url)).orElse("");
  }

  /** The update while a run GitHub did not name is looked for by its correlation id. */
  static String lookingForRun(DispatchTarget target, Dispatched.Unknown unknown) {
    String how = unknown.unclearAnswer().isPresent() ? "⏳ GitHub did not answer the dispatch of " + RunText.name(target.workflow())
        + " clearly; looking for a run it may have started" : "🚀 Dispatched " + RunText.name(target.workflow()) + ". Looking for its run";
    return how + " (correlation id " + Markdown.inlineCode(target.correlationId(), 64) + ")…";
  }

    static String progress(DispatchTarget target, WorkflowRun run, Duration sinceDispatch) {
    String emoji = "in_progress".equals(run.status()) ? "🔄" : "⏳";
    return emoji + " " + RunText.name(target.workflow()) + " " + RunText.runLabel(Optional.of(run)) + " is " + RunText.state(run)
        + " (" + DurationText.of(sinceDispatch) + " since dispatch).\n" + RunText.link(run.htmlUrl());
  }

  /** The last answer: the conclusion, the duration and the link; for a failed run, what failed. */
  static String render(DispatchTarget target, Followed followed, Instant now) {
    if (followed instanceof Followed.Finished finished) {
      return finished(target, finished, now);
    }
    if (followed instanceof Followed.StillRunning still) {
      return "⏳ " + RunText.name(target.workflow()) + " " + RunText.runLabel(still.last()) + " is still "
          + still.last().map(RunText::state).orElse("going") + " " + DurationText.of(still.sinceDispatch())
          + " after dispatch; I stopped following it here, and it goes on." + still.link().map(url -> "\n" + RunText.link(url)).orElse("");
    }
    Followed.Lost lost = (Followed.Lost) followed;
    return "⚠️ I lost track of " + RunText.name(target.workflow()) + " " + RunText.runLabel(lost.last()) + ": " + lost.reason()
        + " It may still be running." + lost.link().map(url -> "\n" + RunText.link(url)).orElse("");
  }

  private static String finished(DispatchTarget target, Followed.Finished finished, Instant now) {
    WorkflowRun run = finished.run();
    RunText.Conclusion conclusion = RunText.conclusion(run);
    StringBuilder text = new StringBuilder().append(conclusion.emoji()).append(' ').append(RunText.name(target.workflow()))
        .append(' ').append(RunText.runLabel(Optional.of(run))).append(' ').append(conclusion.words())
        .append(" in ").append(DurationText.of(run.duration(now)));
    if (run.branch() != null && !run.branch().isEmpty()) {
      text.append(" on ").append(Markdown.inlineCode(run.branch(), 100));
    }
    text.append(".\n").append(RunText.link(run.htmlUrl()));
    List<RunJob> failed = finished.failedJobs();
    failed.stream().limit(MAX_FAILED_JOBS)
        .forEach(job -> text.append("\n• ").append(RunText.name(job.name())).append(steps(job)));
    if (failed.size() > MAX_FAILED_JOBS) {
      text.append("\n• … and ").append(failed.size() - MAX_FAILED_JOBS).append(" more failed jobs");
    }
    return text.toString();
  }

  private static String steps(RunJob job) {
    List<RunJob.Step> steps = job.failedSteps();
    if (steps.isEmpty()) {
      return " failed";
    }
    String names = steps.stream().limit(MAX_FAILED_STEPS).map(step -> RunText.inert(step.name(), 80)).collect(Collectors.joining(", "));
    return " failed at " + names + (steps.size() > MAX_FAILED_STEPS ? " (+" + (steps.size() - MAX_FAILED_STEPS) + ")" : "");
  }
}
