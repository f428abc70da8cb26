package dev.valine.orchestrator.ops;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.Progress;
import dev.valine.orchestrator.command.ProgressNotRecordedException;
import dev.valine.orchestrator.discord.Markdown;
import dev.valine.orchestrator.github.DispatchResult;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches a workflow at most once per interaction, and finds the run it started.
 *
 * <p>Each act is recorded in the job's progress, under the target's label: {@code <label>_requested_at} before the
 * dispatch is sent, then {@code <label>_run_id} (and {@code _run_url}) once the run is known, {@code _accepted} when
 * GitHub accepted it without naming the run, {@code _refused} when GitHub said no. An attempt that finds a run id
 * recorded follows that run; one that finds only the request recorded does not send it again (the first attempt's
 * dispatch may have gone through) but looks for its run by correlation id; one that finds a refusal repeats it.
 */
final class WorkflowDispatch {
  /** Runs take a few seconds to appear after a dispatch (docs: platform contract); look every this often. */
  static final Duration FIND_EVERY = Duration.ofSeconds(5);
  /** How long to look for the run of a dispatch GitHub accepted without naming its run. */
  static final Duration FIND_FOR = Duration.ofMinutes(2);
  // Searched from this long before the dispatch by our clock: GitHub's clock may be behind ours, and the id decides anyway.
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
  private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
  private static final Duration SEARCH_LIMIT = Duration.ofSeconds(15);
  // Consecutive failed searches before giving up: a minute or so of GitHub trouble.
  private static final int MAX_FAILED_SEARCHES = 5;
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowDispatch.class);

  private final String apiBase;
  private final boolean dryRun;
  private final Metrics metrics;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param apiBase {@code GITHUB_API_BASE}, for links to the workflow's runs
   * @param dryRun {@code DRY_RUN}: check everything, then say what would be dispatched and send nothing
   */
  WorkflowDispatch(String apiBase, boolean dryRun, Metrics metrics, Clock clock, Sleeper sleeper) {
    this.apiBase = apiBase;
    this.dryRun = dryRun;
    this.metrics = metrics;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  GitHubLinks links(GitHubClient github) {
    return GitHubLinks.of(apiBase, github.repo());
  }

  /**
   * Whether an earlier attempt of this interaction has already asked for the dispatch: its inputs were checked then,
   * and must not be checked again (a URL whose name resolves differently now would report "nothing dispatched").
   */
  static boolean begun(Progress progress, DispatchTarget target) {
    return progress.get(target.fact("requested_at")).isPresent();
  }

  /**
   * Sends the dispatch, unless this interaction's progress shows an earlier attempt did; {@code check} runs only
   * when nothing was sent yet.
   */
  Dispatched dispatchOnce(CommandContext context, GitHubClient github, DispatchTarget target, DispatchInputs.Check check)
      throws InterruptedException, ProgressNotRecordedException {
    Progress progress = context.progress();
    Optional<Dispatched> earlier = earlier(context, target);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    DispatchInputs sent;
    try {
      sent = check.inputs();
    } catch (InputRefusedException e) {
      context.trace().step("dispatch " + target.label()).fail("refused: " + e.getMessage());
      metrics.workflowDispatch(target.label(), "refused");
      return new Dispatched.Ended(e.getMessage() + " Nothing was dispatched.", true);
    }
    if (dryRun) {
      context.trace().step("dispatch " + target.label()).ok("dry-run: not sent");
      LOG.info("dry-run: would dispatch {} {} {}", kv("workflow", target.workflow()), kv("ref", sent.ref()),
          kv("inputs", String.join(",", new java.util.TreeSet<>(sent.inputs().keySet()))));
      return new Dispatched.Ended("Dry run (`DRY_RUN=true`): I would have dispatched `" + target.workflow() + "` on `" + sent.ref()
          + "` with inputs " + String.join(", ", new java.util.TreeSet<>(sent.inputs().keySet())) + ". Nothing was sent.", false);
    }
    Instant requestedAt = clock.instant();
    // Before the act: an attempt that takes over from here knows the dispatch may have been sent.
    progress.record(target.fact("requested_at"), requestedAt.toString());
    ExecutionTrace.Step step = context.trace().step("dispatch " + target.label());
    DispatchResult result;
    try {
      result = Await.call(context, CALL_LIMIT, deadline -> github.dispatch(target.workflow(), sent.ref(), sent.inputs(), deadline));
    } catch (GitHubException e) {
      step.fail(e.summary());
      return failed(context, github, target, sent, e, requestedAt);
    }
    step.ok(result.describe() + ", ref " + sent.ref() + ", correlation id " + target.correlationId());
    metrics.workflowDispatch(target.label(), "dispatched");
    LOG.info("workflow dispatched: {} {}", target.label(), result.describe());
    if (result.runKnown()) {
      long runId = result.runId().orElseThrow();
      progress.record(target.fact("run_id"), Long.toString(runId));
      Optional<String> url = result.htmlUrl().filter(link -> link.length() <= 1_024);
      if (url.isPresent()) {
        progress.record(target.fact("run_url"), url.get());
        context.trace().link("run", url.get());
      }
      return new Dispatched.Known(runId, result.htmlUrl(), requestedAt);
    }
    progress.record(target.fact("accepted"), "true");
    return new Dispatched.Unknown(requestedAt, true);
  }

  /** What an earlier attempt of this interaction recorded, if anything. */
  private Optional<Dispatched> earlier(CommandContext context, DispatchTarget target) {
    Progress progress = context.progress();
    Optional<String> requested = progress.get(target.fact("requested_at"));
    if (requested.isEmpty()) {
      return Optional.empty();
    }
    Instant requestedAt = parse(requested.get());
    ExecutionTrace.Step step = context.trace().step("dispatch " + target.label());
    Optional<Long> runId = progress.get(target.fact("run_id")).flatMap(WorkflowDispatch::runId);
    if (runId.isPresent()) {
      step.ok("not sent again: an earlier attempt started run " + runId.get());
      Optional<String> url = progress.get(target.fact("run_url"));
      url.ifPresent(link -> context.trace().link("run", link));
      return Optional.of(new Dispatched.Known(runId.get(), url, requestedAt));
    }
    Optional<String> refused = progress.get(target.fact("refused"));
    if (refused.isPresent()) {
      step.ok("not sent again: GitHub refused an earlier attempt's dispatch");
      return Optional.of(new Dispatched.Ended(refused.get(), false));
    }
    boolean accepted = progress.get(target.fact("accepted")).isPresent();
    step.ok("not sent again: an earlier attempt " + (accepted ? "dispatched" : "asked to dispatch") + " at " + requestedAt
        + "; looking for its run");
    return Optional.of(new Dispatched.Unknown(requestedAt, accepted));
  }

  /**
   * Looks for the run of a dispatch whose run GitHub did not name, by its correlation id, every {@link #FIND_EVERY}
   * for up to {@link #FIND_FOR} after the dispatch (or until the command's deadline nears). Never takes another run
   * for it, however recent.
   */
  Dispatched findRun(CommandContext context, GitHubClient github, DispatchTarget target, Dispatched.Unknown unknown,
      Duration keepAfter) throws InterruptedException, ProgressNotRecordedException {
    Instant since = unknown.requestedAt().minus(CLOCK_SKEW);
    Instant lookUntil = earliest(clock.instant().isAfter(unknown.requestedAt().plus(FIND_FOR))
        ? clock.instant().plus(FIND_EVERY) : unknown.requestedAt().plus(FIND_FOR), context.deadline().at().minus(keepAfter));
    int failures = 0;
    GitHubException lastFailure = null;
    while (true) {
      Instant started = clock.instant();
      try {
        Optional<WorkflowRun> run = Await.call(context, SEARCH_LIMIT,
            deadline -> github.findDispatchedRun(target.workflow(), target.correlationId(), since, deadline));
        failures = 0;
        if (run.isPresent()) {
          step(context, "find run: found #" + run.get().runNumber(), TraceStatus.OK, started, "run " + run.get().id());
          context.progress().record(target.fact("run_id"), Long.toString(run.get().id()));
          context.trace().link("run", run.get().htmlUrl());
          return new Dispatched.Known(run.get().id(), Optional.of(run.get().htmlUrl()), unknown.requestedAt());
        }
        step(context, "find run: not yet", TraceStatus.OK, started, "no run names " + target.correlationId());
      } catch (GitHubException e) {
        failures++;
        lastFailure = e;
        step(context, "find run: failed", TraceStatus.ERROR, started, e.summary());
        // As RunFollower: a secret that cannot be read may be read at the next search, so it counts as a failed one.
        if (failures >= MAX_FAILED_SEARCHES || e.kind() == Kind.UNAUTHORIZED || e.kind() == Kind.FORBIDDEN) {
          metrics.runFollowed(target.label(), "not_found");
          return new Dispatched.Ended(notSearchable(github, target, unknown, e), false);
        }
      }
      Instant next = clock.instant().plus(FIND_EVERY);
      if (lastFailure != null && lastFailure.retryAt().isPresent() && lastFailure.retryAt().get().isAfter(next)) {
        next = lastFailure.retryAt().get();
      }
      if (next.isAfter(lookUntil)) {
        break;
      }
      sleeper.sleep(Duration.between(clock.instant(), next));
      lastFailure = null;
    }
    metrics.runFollowed(target.label(), "not_found");
    return new Dispatched.Ended(notFound(github, target, unknown), false);
  }

  private String notFound(GitHubClient github, DispatchTarget target, Dispatched.Unknown unknown) {
    String runsPage = links(github).runsPage(target.workflow());
    if (unknown.unclearAnswer().isPresent()) {
      return unknown.unclearAnswer().get() + " No run named `" + target.correlationId() + "` appeared within "
          + FIND_FOR.toMinutes() + " minutes; I did not dispatch again.";
    }
    if (unknown.accepted()) {
      return "⚠️ GitHub accepted the dispatch of " + RunText.name(target.workflow()) + ", but no run named `"
          + target.correlationId() + "` appeared within " + FIND_FOR.toMinutes() + " minutes, so I cannot follow it. "
          + "The workflow's `run-name` probably does not carry the correlation id: add "
          + "`run-name: Deploy ${{ inputs.correlation_id }}` to it. The run is likely there anyway: " + runsPage;
    }
    return "⚠️ An earlier attempt of this command asked GitHub to dispatch " + RunText.name(target.workflow()) + " at "
        + CLOCK_TIME.format(unknown.requestedAt()) + " UTC and stopped before GitHub's answer was recorded; no run named `"
        + target.correlationId() + "` has appeared since. I did not dispatch again. It may still have started: check "
        + runsPage + " before running the command again.";
  }

  private String notSearchable(GitHubClient github, DispatchTarget target, Dispatched.Unknown unknown, GitHubException e) {
    return "⚠️ " + (unknown.accepted() ? "GitHub accepted the dispatch of " : "A dispatch of ") + RunText.name(target.workflow())
        + (unknown.accepted() ? "" : " may have been sent") + ", but I could not look for its run: " + e.getMessage()
        + " I did not dispatch again; check " + links(github).runsPage(target.workflow()) + " for a run named `"
        + target.correlationId() + "`.";
  }

  /** Answers a dispatch GitHub did not accept, alerts, counts it, and records a refusal so that a retry repeats it. */
  private Dispatched failed(CommandContext context, GitHubClient github, DispatchTarget target, DispatchInputs sent,
      GitHubException e, Instant requestedAt) throws ProgressNotRecordedException {
    boolean uncertain = mayHaveStarted(e);
    metrics.workflowDispatch(target.label(), uncertain ? "uncertain" : "failed");
    String text = "❌ Could not dispatch " + RunText.name(target.workflow()) + ": " + e.getMessage() + fix(github, target, sent, e);
    LOG.warn("workflow dispatch failed: {} {} {}", target.label(), e.kind(), e.httpStatus().orElse(0));
    context.alert(Severity.ERROR, "Workflow dispatch failed", "Dispatching `" + target.workflow() + "` (ref " + sent.ref()
        + ") in " + github.repo() + ": " + e.getMessage(), "GitHub " + e.kind());
    if (!uncertain) {
      // Nothing started: a retried job answers the same instead of looking for a run that cannot exist.
      context.progress().record(target.fact("refused"), text.length() <= 1_024 ? text : text.substring(0, 1_023) + "…");
      return new Dispatched.Ended(text, false);
    }
    // It may have started: look for its run by the correlation id, as a retried attempt would, rather than guess.
    return new Dispatched.Unknown(requestedAt, false, Optional.of(text));
  }

  /** Whether GitHub may have acted on a dispatch it did not clearly accept or refuse. */
  private static boolean mayHaveStarted(GitHubException e) {
    if (neverSent(e)) {
      return false;
    }
    return e.kind() == Kind.TIMEOUT || e.kind() == Kind.NETWORK || e.kind() == Kind.SERVER_ERROR
        || (e.kind() == Kind.BAD_RESPONSE && e.httpStatus().filter(code -> code < 400).isPresent());
  }

  /** Whether the dispatch never left: no connection was made, no time was left, or finding the workflow failed. */
  private static boolean neverSent(GitHubException e) {
    return e.neverSent();
  }

  /** The fix, beyond what the client's message already says. */
  private String fix(GitHubClient github, DispatchTarget target, DispatchInputs sent, GitHubException e) {
    String variable = target.label().equals("deploy") ? "`DEPLOY_WORKFLOW`" : "`DIAGNOSE_WORKFLOW`";
    switch (e.kind()) {
      case NOT_FOUND:
        return " Check " + variable + ": a workflow name, file name (like deploy.yml) or id in " + github.repo() + ".";
      case INVALID_REQUEST:
        return " Inputs sent: " + String.join(", ", sent.inputs().keySet().stream().map(name -> "`" + name + "`").toList())
            + " on ref " + Markdown.inlineCode(sent.ref(), 100) + "; the workflow's `on: workflow_dispatch: inputs:` must declare each.";
      case FORBIDDEN:
        return " Give `GITHUB_TOKEN` Actions write: a fine-grained token needs Actions \"Read and write\"; in a workflow, "
            + "`permissions: actions: write`.";
      case RATE_LIMITED:
        return " Nothing was dispatched; run the command again after "
            + e.retryAt().map(at -> CLOCK_TIME.format(at) + " UTC").orElse("a minute") + ".";
      case CREDENTIALS_UNAVAILABLE:
        // Not sent, or refused with a 401 and not sent again: either way GitHub started nothing.
        return " Nothing was dispatched.";
      case NETWORK:
      case TIMEOUT:
      case SERVER_ERROR:
        if (neverSent(e)) {
          return e.getMessage().contains("Nothing was dispatched") ? "" : " Nothing was dispatched: the request never reached GitHub.";
        }
        return mayHaveStartedFix(github, target, e);
      default:
        return "";
    }
  }

  private String mayHaveStartedFix(GitHubClient github, DispatchTarget target, GitHubException e) {
    return (e.getMessage().contains("may have started") ? "" : " The workflow may have started: look before dispatching again.")
        + " Its runs: " + links(github).runsPage(target.workflow()) + ".";
  }

  private void step(CommandContext context, String name, TraceStatus status, Instant started, String detail) {
    context.trace().addStep(name, status, started, Duration.between(started, clock.instant()), detail);
  }

  private static Optional<Long> runId(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      // Unreadable: search as if it were sent just now, less the skew; the id still decides.
      return clock.instant();
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
