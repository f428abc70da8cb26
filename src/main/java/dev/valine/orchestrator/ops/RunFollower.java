package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.github.RunJob;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.time.DurationText;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Follows a dispatched run until it completes, showing its state in the deferred reply as it moves.
 *
 * <p>Polling budget: a run is read every {@link #FAST_EVERY} in its first minute (when it goes from queued to in
 * progress), then every {@link #SLOW_EVERY}, within the 5 to 15 seconds GitHub's guidance allows. Following for the
 * whole {@link #FOLLOW_FOR} costs at most 12 + 52 reads, about 275 an hour were it to go on: a token's 5,000 an hour
 * (1,000 per repository for a workflow's {@code GITHUB_TOKEN}) leave room for several follows at once beside
 * {@code /status} (docs: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 */
final class RunFollower {
  /** The interaction token lives 15 minutes; the last edit must land before it expires. */
  static final Duration FOLLOW_FOR = Duration.ofMinutes(14);
  static final Duration FAST_EVERY = Duration.ofSeconds(5);
  static final Duration FAST_FOR = Duration.ofMinutes(1);
  static final Duration SLOW_EVERY = Duration.ofSeconds(15);
  /** An unchanged state is shown again (with the time elapsed) this often, so the reply visibly lives. */
  static final Duration REFRESH_EVERY = Duration.ofMinutes(1);
  static final Duration POLL_LIMIT = Duration.ofSeconds(10);
  /** Consecutive failed polls before giving up: a minute or more of GitHub trouble. */
  static final int MAX_FAILED_POLLS = 5;

  private final Metrics metrics;
  private final Clock clock;
  private final Sleeper sleeper;

  RunFollower(Metrics metrics, Clock clock, Sleeper sleeper) {
    this.metrics = metrics;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Follows the run until it completes, {@link #FOLLOW_FOR} after its dispatch, or until the command's deadline
   * leaves only {@code keepAfter}: the time the caller needs after following (its last edit, reading an artifact).
   */
  Followed follow(CommandContext context, GitHubClient github, DispatchTarget target, Dispatched.Known dispatched,
      Duration keepAfter) throws InterruptedException {
    Instant stopAt = earliest(dispatched.requestedAt().plus(FOLLOW_FOR), context.deadline().at().minus(keepAfter));
    Optional<String> link = dispatched.htmlUrl();
    Optional<WorkflowRun> last = Optional.empty();
    context.updates().show(InteractionResponse.message(RunReport.dispatched(target, link)));
    String shownState = "dispatched";
    Instant shownAt = clock.instant();
    int failures = 0;
    while (true) {
      Instant started = clock.instant();
      if (started.plus(POLL_LIMIT).isAfter(stopAt)) {
        break;
      }
      Instant notBefore = started;
      try {
        WorkflowRun run = Await.call(context, POLL_LIMIT, deadline -> github.run(dispatched.runId(), deadline));
        failures = 0;
        last = Optional.of(run);
        link = Optional.of(run.htmlUrl());
        step(context, "poll: " + run.status(), TraceStatus.OK, started, run.conclusion().orElse(RunText.state(run)));
        if ("completed".equals(run.status())) {
          return finished(context, github, target, run);
        }
        Instant now = clock.instant();
        if (!run.status().equals(shownState) || !now.isBefore(shownAt.plus(REFRESH_EVERY))) {
          context.updates().show(InteractionResponse.message(
              RunReport.progress(target, run, Duration.between(dispatched.requestedAt(), now))));
          shownState = run.status();
          shownAt = now;
        }
      } catch (GitHubException e) {
        failures++;
        step(context, "poll: failed", TraceStatus.ERROR, started, e.summary());
        // A token GitHub refuses stays refused while we poll. A secret that cannot be read (CREDENTIALS_UNAVAILABLE)
        // may be read at the next poll, and losing a dispatched run costs more: it counts as a failed poll.
        if (failures >= MAX_FAILED_POLLS || e.kind() == Kind.UNAUTHORIZED || e.kind() == Kind.FORBIDDEN) {
          metrics.runFollowed(target.label(), "lost");
          return new Followed.Lost(e.getMessage(), last, link);
        }
        notBefore = e.retryAt().orElse(notBefore);
      }
      Instant now = clock.instant();
      Instant next = now.plus(Duration.between(dispatched.requestedAt(), now).compareTo(FAST_FOR) < 0 ? FAST_EVERY : SLOW_EVERY);
      if (notBefore.isAfter(next)) {
        next = notBefore;
      }
      if (next.plus(POLL_LIMIT).isAfter(stopAt)) {
        break;
      }
      sleeper.sleep(Duration.between(now, next));
    }
    metrics.runFollowed(target.label(), "still_running");
    Duration sinceDispatch = Duration.between(dispatched.requestedAt(), clock.instant());
    context.trace().addStep("follow: stopped", TraceStatus.OK, clock.instant(), Duration.ZERO,
        "still " + last.map(RunText::state).orElse("not seen") + " " + DurationText.of(sinceDispatch) + " after dispatch");
    return new Followed.StillRunning(last, link, sinceDispatch);
  }

  private Followed finished(CommandContext context, GitHubClient github, DispatchTarget target, WorkflowRun run)
      throws InterruptedException {
    metrics.runFollowed(target.label(), run.conclusion().orElse("unknown"));
    if (run.outcome() != WorkflowRun.Outcome.FAILURE) {
      return new Followed.Finished(run, List.of());
    }
    Instant started = clock.instant();
    try {
      List<RunJob> failed = Await.call(context, POLL_LIMIT, deadline -> github.jobs(run.id(), deadline)).stream()
          .filter(RunJob::failed).toList();
      step(context, "jobs", TraceStatus.OK, started, failed.size() + " failed");
      return new Followed.Finished(run, failed);
    } catch (GitHubException e) {
      // The conclusion and the link are what matter; the failed jobs are a courtesy.
      step(context, "jobs", TraceStatus.ERROR, started, e.summary());
      return new Followed.Finished(run, List.of());
    }
  }

  private void step(CommandContext context, String name, TraceStatus status, Instant started, String detail) {
    context.trace().addStep(name, status, started, Duration.between(started, clock.instant()), detail);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
