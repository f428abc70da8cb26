package dev.valine.orchestrator.digest;

import dev.valine.orchestrator.command.Cancellation;
import dev.valine.orchestrator.github.CompletedRuns;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.time.Deadline;
import dev.valine.orchestrator.util.Futures;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sums up the completed runs of each workflow in {@code STATUS_WORKFLOWS} over a {@link DigestPeriod}, fetched
 * in parallel within a deadline, into one Discord message. {@code /status-digest} and the scheduled digest both
 * render through here, so the two never differ.
 *
 * <p>A run counts in the period it was created in (GitHub's {@code created} filter) once it has completed; runs
 * still going are left out. Each workflow is paged through up to {@link #MAX_RUNS} runs; past that the message
 * says the bound was reached. One workflow that cannot be fetched gets a ⚠️ line and does not hide the others.
 *
 * <p>There is no GitHub call for "the completed runs of every workflow between two instants" in our client, so
 * an empty {@code STATUS_WORKFLOWS} is refused with a message asking for it rather than guessed at.
 */
public final class DigestService {
  /** Runs fetched per workflow at most: five pages of 100. */
  static final int MAX_RUNS = 500;
  static final String NOT_CONFIGURED = "GitHub is not configured for this bot: set GITHUB_REPO (owner/name), "
      + "GITHUB_TOKEN and STATUS_WORKFLOWS, then redeploy.";
  static final String NO_WORKFLOWS = "The digest sums up the workflows named in STATUS_WORKFLOWS, and none are set: set "
      + "STATUS_WORKFLOWS (comma-separated workflow files, ids or names, e.g. deploy.yml,Rollback), then redeploy.";
  private static final String TOO_SLOW = "GitHub did not answer in time. Try again in a moment.";
  private static final Logger LOG = LoggerFactory.getLogger(DigestService.class);

  private final Optional<Supplier<GitHubClient>> github;
  private final List<String> workflows;
  private final String stage;
  private final Clock clock;

  /**
   * @param github empty when {@code GITHUB_REPO} is not configured; a supplier so that the HTTP client is built
   *     on first use, not at cold start
   * @param workflows {@code STATUS_WORKFLOWS}: file names, ids or display names
   */
  public DigestService(Optional<Supplier<GitHubClient>> github, List<String> workflows, String stage, Clock clock) {
    this.github = github;
    this.workflows = List.copyOf(workflows);
    this.stage = stage;
    this.clock = clock;
  }

  /**
   * The digest of the period ending now, as one message of at most 2,000 characters, for posting without an
   * interaction (the scheduled digest). GitHub calls still running at the deadline are aborted.
   *
   * @throws DigestUnavailableException GitHub or {@code STATUS_WORKFLOWS} is not configured, or no workflow could
   *     be fetched; the message says why, in words fit for the channel
   */
  public String render(DigestPeriod period, Deadline deadline) throws DigestUnavailableException, InterruptedException {
    Cancellation cancellation = new Cancellation();
    try {
      Digest digest = digest(period, deadline, cancellation, Optional.empty());
      return digest.text().orElseThrow(() -> new DigestUnavailableException(digest.unavailableReason()));
    } finally {
      // Nothing may keep running once the caller has its answer (Lambda freezes the process).
      cancellation.cancel();
    }
  }

  /**
   * The digest, with each workflow's failure for the caller to act on.
   *
   * @param cancellation every GitHub call is registered with it
   * @param trace when present, gets a step per workflow and a link to each newest failure
   */
  Digest digest(DigestPeriod period, Deadline deadline, Cancellation cancellation, Optional<ExecutionTrace> trace)
      throws DigestUnavailableException, InterruptedException {
    if (github.isEmpty()) {
      throw new DigestUnavailableException(NOT_CONFIGURED);
    }
    if (workflows.isEmpty()) {
      throw new DigestUnavailableException(NO_WORKFLOWS);
    }
    GitHubClient client = github.get().get();
    Instant now = clock.instant();
    DigestPeriod.Window window = period.window(now);

    Map<String, CompletableFuture<CompletedRuns>> pending = new LinkedHashMap<>();
    Map<String, Optional<ExecutionTrace.Step>> steps = new LinkedHashMap<>();
    for (String workflow : workflows) {
      Optional<ExecutionTrace.Step> step = trace.map(t -> t.step("github.runs-completed " + workflow));
      CompletableFuture<CompletedRuns> runs = cancellation.register(
          client.runsCompletedBetween(workflow, window.from(), window.to(), MAX_RUNS, deadline));
      step.ifPresent(s -> runs.whenComplete((done, error) -> endStep(s, done, error)));
      steps.put(workflow, step);
      pending.put(workflow, runs);
    }
    Futures.awaitAll(pending.values(), deadline.remaining());

    DigestReport report = new DigestReport(client.repo(), stage, period, window, now);
    List<Failure> failures = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<CompletedRuns>> entry : pending.entrySet()) {
      String workflow = entry.getKey();
      Optional<GitHubException> problem = problem(workflow, entry.getValue(), steps.get(workflow));
      if (problem.isPresent()) {
        failures.add(new Failure(workflow, problem.get()));
        report.failed(workflow, problem.get().getMessage(), brief(problem.get()));
      } else {
        WorkflowDigest digest = WorkflowDigest.of(workflow, entry.getValue().join());
        trace.ifPresent(t -> digest.newestFailure().ifPresent(run -> t.link(workflow + " newest failure", run.htmlUrl())));
        report.add(digest);
      }
    }
    return new Digest(failures.size() == pending.size() ? Optional.empty() : Optional.of(report.render()), failures);
  }

  /** One workflow whose runs could not be fetched. */
  record Failure(String workflow, GitHubException error) {}

  /**
   * @param text the message, empty when no workflow could be fetched
   * @param failures the workflows that could not be fetched, in the configured order
   */
  record Digest(Optional<String> text, List<Failure> failures) {
    /** Why there is no message: the one reason, or each workflow's. */
    String unavailableReason() {
      List<String> reasons = failures.stream().map(failure -> failure.error().getMessage()).distinct().toList();
      if (reasons.size() == 1) {
        return reasons.get(0);
      }
      List<String> lines = failures.stream().map(failure -> "`" + failure.workflow().replace('`', '\'') + "`: "
          + failure.error().getMessage()).toList();
      return "I could not get any workflow's runs:\n• " + String.join("\n• ", lines);
    }
  }


  private static void endStep(ExecutionTrace.Step step, CompletedRuns runs, Throwable error) {
    if (error == null) {
      step.ok(runs.truncated() ? "at least " + runs.runs().size() + " runs (bound reached)"
          : runs.runs().size() + (runs.runs().size() == 1 ? " run" : " runs"));
    } else if (error instanceof CancellationException) {
      step.fail("cancelled: this run was given up");
    } else {
      Throwable cause = Futures.cause(error);
      step.fail(cause instanceof GitHubException gitHub ? gitHub.summary()
          : cause.getClass().getSimpleName());
    }
  }


  /** What went wrong for one workflow, or empty if its runs arrived. Anything but a GitHub failure is a bug, thrown. */
  private static Optional<GitHubException> problem(String workflow, CompletableFuture<CompletedRuns> future,
      Optional<ExecutionTrace.Step> step) {
    if (!future.isDone()) {
      step.ifPresent(s -> s.fail("no answer within the deadline"));
      // Aborts the HTTP calls: nothing waits for them any more.
      future.cancel(true);
      LOG.warn("GitHub did not answer for workflow {} within the deadline", workflow);
      return Optional.of(new GitHubException(GitHubException.Kind.TIMEOUT, TOO_SLOW, null));
    }
    try {
      future.join();
      return Optional.empty();
    } catch (CompletionException | CancellationException e) {
      if (Futures.cause(e) instanceof GitHubException gitHub) {
        LOG.warn("GitHub call failed for workflow {}: {} {}", workflow, gitHub.kind(), gitHub.httpStatus().orElse(0));
        return Optional.of(gitHub);
      }
      throw e;
    }
  }

  /** A few words for a compact line: the HTTP status, or what happened without one. */
  private static String brief(GitHubException error) {
    if (error.httpStatus().isPresent()) {
      return "HTTP " + error.httpStatus().get();
    }
    switch (error.kind()) {
      case TIMEOUT:
        return "no answer in time";
      case NETWORK:
        return "GitHub unreachable";
      case NOT_FOUND:
        return "no such workflow";
      default:
        return error.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }
}
