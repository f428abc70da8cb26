package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.RunJob;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.util.Futures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /verify-latest} and {@code /verify-run} share: finds the run (by id, or the newest of
 * {@code DEPLOY_WORKFLOW}), its failed jobs and steps, and meanwhile resolves the deploy targets and fetches their
 * paths, all in parallel within the command's deadline. Every GitHub call and fetch is a trace step and is
 * registered with the run's cancellation, so a given-up attempt leaves nothing running and has no effect: the
 * alert and the metric come only from an attempt that answers.
 *
 * <p>A verification that fails raises the {@code error} alert "Deploy verification failed" with the run's link.
 * A run not finished yet is reported as such, without an alert: the checks then show what is deployed at the
 * moment, not what the run will leave.
 */
final class Verification {
  private static final Logger LOG = LoggerFactory.getLogger(Verification.class);
  private static final int MAX_ALERT_LINES = 15;

  /** Either the report, or why there is nothing to verify (a run that does not exist): exactly one is present. */
  record Outcome(Optional<VerificationReport> report, Optional<String> refusal) {
  }

  private final OpsSettings settings;
  private final DeployTargets targets;
  private final Supplier<SafeHttp> http;
  private final Duration perRequest;
  private final Metrics metrics;
  private final Clock clock;

  Verification(OpsSettings settings, Supplier<SafeHttp> http, Duration perRequest, Metrics metrics, Clock clock) {
    this.settings = settings;
    this.targets = new DeployTargets(settings);
    this.http = http;
    this.perRequest = perRequest;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Verifies one run and the deployed targets.
   *
   * @param runId the run to verify, or empty for the newest run of {@code DEPLOY_WORKFLOW}
   * @throws InterruptedException when this attempt was given up (its calls are cancelled; nothing is reported)
   */
  Outcome verify(CommandContext context, GitHubClient github, Optional<Long> runId) throws InterruptedException {
    String workflow = settings.deployWorkflow();
    CompletableFuture<Optional<WorkflowRun>> run = findRun(context, github, runId);
    // Started with the run lookup rather than after it: on the inline path every round trip counts.
    CompletableFuture<List<Started>> started = targets.resolve(context, github).thenApply(list -> start(list, context));
    CompletableFuture<List<RunJob>> jobs = run.thenCompose(found -> found.filter(Verification::failed)
        .map(failedRun -> failedJobs(context, github, failedRun))
        .orElseGet(() -> CompletableFuture.completedFuture(List.of())));

    await(run, context);
    Optional<String> refusal = refusal(run, runId, workflow, github.repo());
    if (refusal.isPresent()) {
      givenUpIfCancelled(context);
      // The user named a run that does not exist (or the workflow has none): nothing to verify, so the checks stop.
      context.cancellation().cancel();
      metrics.verification("error");
      return new Outcome(Optional.empty(), refusal);
    }
    await(CompletableFuture.allOf(jobs.handle((value, error) -> null),
        started.thenCompose(list -> CompletableFuture.allOf(list.stream().flatMap(s -> s.checks().stream())
            .map(check -> check.handle((value, error) -> null)).toArray(CompletableFuture[]::new)))), context);
    givenUpIfCancelled(context);

    VerificationReport report = new VerificationReport(workflow, runPart(context, run, jobs), targetParts(started));
    report.run().ifPresent(found -> context.trace().link("Run #" + found.runNumber(), found.htmlUrl()));
    VerificationReport.Verdict verdict = report.verdict();
    ExecutionTrace.Step step = context.trace().step("verdict");
    if (verdict == VerificationReport.Verdict.FAILED) {
      step.fail(report.failures() + " failing check(s); run " + report.run().map(Verification::state).orElse("unknown"));
      context.alert(Severity.ERROR, "Deploy verification failed", alertDetail(report), "VerificationFailed");
    } else {
      step.ok(verdict.name().toLowerCase(java.util.Locale.ROOT));
    }
    metrics.verification(verdict == VerificationReport.Verdict.PASSED ? "passed"
        : verdict == VerificationReport.Verdict.FAILED ? "failed" : "error");
    LOG.info("deploy verification {}", verdict.name().toLowerCase(java.util.Locale.ROOT));
    return new Outcome(Optional.of(report), Optional.empty());
  }

  private CompletableFuture<Optional<WorkflowRun>> findRun(CommandContext context, GitHubClient github, Optional<Long> runId) {
    if (runId.isPresent()) {
      ExecutionTrace.Step step = context.trace().step("github.run " + runId.get());
      CompletableFuture<WorkflowRun> call = context.cancellation().register(github.run(runId.get(), context.deadline()));
      return ended(step, call.thenApply(Optional::of));
    }
    ExecutionTrace.Step step = context.trace().step("github.runs " + settings.deployWorkflow());
    CompletableFuture<List<WorkflowRun>> call = context.cancellation().register(
        github.recentRuns(settings.deployWorkflow(), 1, context.deadline()));
    return ended(step, call.thenApply(runs -> runs.stream().findFirst()));
  }

  private static CompletableFuture<Optional<WorkflowRun>> ended(ExecutionTrace.Step step, CompletableFuture<Optional<WorkflowRun>> call) {
    return call.whenComplete((found, error) -> {
      if (error != null) {
        step.fail(failure(error));
      } else {
        step.ok(found.map(r -> "#" + r.runNumber() + " (" + r.id() + ") " + state(r)).orElse("no runs"));
      }
    });
  }

  private static CompletableFuture<List<RunJob>> failedJobs(CommandContext context, GitHubClient github, WorkflowRun run) {
    ExecutionTrace.Step step = context.trace().step("github.jobs " + run.id());
    return context.cancellation().register(github.jobs(run.id(), context.deadline())).whenComplete((jobs, error) -> {
      if (error != null) {
        step.fail(failure(error));
      } else {
        step.ok(jobs.stream().filter(RunJob::failed).count() + " of " + jobs.size() + " jobs failed");
      }
    });
  }

  /** A target and the checks started on it. */
  private record Started(DeployTargets.Target target, List<CompletableFuture<CheckResult>> checks, int unchecked) {
  }

  private List<Started> start(List<DeployTargets.Target> resolved, CommandContext context) {
    TargetChecks checks = new TargetChecks(http.get(), perRequest, clock);
    List<Started> started = new ArrayList<>();
    for (DeployTargets.Target target : resolved) {
      if (target.state() != DeployTargets.State.CONFIGURED || context.cancellation().isCancelled()) {
        started.add(new Started(target, List.of(), 0));
        continue;
      }
      started.add(new Started(target, checks.start(target.name(), target.base().orElseThrow(), target.paths(), context),
          Math.max(0, target.paths().size() - TargetChecks.MAX_PATHS)));
    }
    return started;
  }

  /** Waits for {@code work} until the command's deadline; what is not done then is reported as such. */
  private static void await(CompletableFuture<?> work, CommandContext context) throws InterruptedException {
    try {
      work.get(context.deadline().remaining().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | CancellationException e) {
      // Each piece is inspected on its own afterwards.
    }
  }

  /**
   * Stops a given-up attempt before it reports anything: the dispatcher cancels its calls before interrupting it,
   * so the wait may end with cancelled calls before the interrupt lands.
   */
  private static void givenUpIfCancelled(CommandContext context) throws InterruptedException {
    if (Thread.currentThread().isInterrupted() || context.cancellation().isCancelled()) {
      throw new InterruptedException("verification given up");
    }
  }

  /** Why there is nothing to verify, when the run asked for does not exist. */
  private static Optional<String> refusal(CompletableFuture<Optional<WorkflowRun>> run, Optional<Long> runId, String workflow,
      String repo) {
    if (run.isDone() && !run.isCompletedExceptionally() && run.join().isEmpty()) {
      return Optional.of("The workflow " + VerificationReport.code(workflow) + " has no runs in `" + repo + "` yet: nothing to "
          + "verify. Check `DEPLOY_WORKFLOW`, or give a run with `/verify-run run_id:`.");
    }
    Optional<GitHubException> failure = gitHubFailure(run);
    if (failure.isPresent() && failure.get().kind() == GitHubException.Kind.NOT_FOUND) {
      return Optional.of(runId.isPresent()
          ? "There is no run " + runId.get() + " in `" + repo + "` (GitHub answered 404). Check the id: it is the number after "
              + "`/actions/runs/` in the run's link. If it is right, the bot's token may not see the repository."
          : failure.get().getMessage() + " Set `DEPLOY_WORKFLOW` to the deploy workflow's name or file name.");
    }
    return Optional.empty();
  }

  private static VerificationReport.RunPart runPart(CommandContext context, CompletableFuture<Optional<WorkflowRun>> run,
      CompletableFuture<List<RunJob>> jobs) {
    if (!run.isDone()) {
      run.cancel(true);
      return new VerificationReport.RunPart(Optional.empty(), List.of(), Optional.of("GitHub did not answer in time: the run "
          + "could not be read. Try again in a moment."));
    }
    Optional<GitHubException> failure = gitHubFailure(run);
    if (run.isCompletedExceptionally()) {
      String why = failure.map(Exception::getMessage).orElse("The run could not be read.");
      failure.filter(e -> e.kind().isOperational()).ifPresent(e -> context.alert(Severity.ERROR, "GitHub call failed",
          "Reading the deploy run: " + e.getMessage(), "GitHub " + e.kind()));
      return new VerificationReport.RunPart(Optional.empty(), List.of(), Optional.of(why));
    }
    WorkflowRun found = run.join().orElseThrow();
    if (!failed(found)) {
      return new VerificationReport.RunPart(Optional.of(found), List.of(), Optional.empty());
    }
    if (!jobs.isDone() || jobs.isCompletedExceptionally()) {
      jobs.cancel(true);
      String why = gitHubFailure(jobs).map(Exception::getMessage).orElse("GitHub did not answer in time.");
      return new VerificationReport.RunPart(Optional.of(found), List.of(), Optional.of("The failed jobs could not be listed: " + why));
    }
    return new VerificationReport.RunPart(Optional.of(found), jobs.join().stream().filter(RunJob::failed).toList(), Optional.empty());
  }

  private static List<VerificationReport.TargetPart> targetParts(CompletableFuture<List<Started>> started) {
    if (!started.isDone() || started.isCompletedExceptionally()) {
      // Resolving the targets never fails; only the deadline or a cancellation stops it, and the latter never gets here.
      started.cancel(true);
      return List.of();
    }
    List<VerificationReport.TargetPart> parts = new ArrayList<>();
    for (Started target : started.join()) {
      List<CheckResult> results = new ArrayList<>();
      List<String> paths = target.target().paths();
      for (int i = 0; i < target.checks().size(); i++) {
        CompletableFuture<CheckResult> check = target.checks().get(i);
        if (check.isDone() && !check.isCompletedExceptionally()) {
          results.add(check.join());
        } else {
          check.cancel(true);
          results.add(new CheckResult(target.target().name(), paths.get(i), Optional.empty(), 0, 0, 1, Optional.empty(),
              Optional.of("no answer within the command's time"), Optional.empty(), Optional.empty()));
        }
      }
      parts.add(new VerificationReport.TargetPart(target.target(), results, target.unchecked()));
    }
    return parts;
  }

  private String alertDetail(VerificationReport report) {
    List<String> lines = report.failingLines();
    List<String> shown = lines.subList(0, Math.min(lines.size(), MAX_ALERT_LINES));
    String more = lines.size() > shown.size() ? "\n… and " + (lines.size() - shown.size()) + " more" : "";
    String run = report.run().map(found -> ", run #" + found.runNumber() + " (" + state(found) + ")").orElse("");
    return "Workflow `" + settings.deployWorkflow() + "`" + run + ":\n" + String.join("\n", shown) + more;
  }

  /** Whether the run finished without success, so that its failed jobs are worth listing. */
  private static boolean failed(WorkflowRun run) {
    return "completed".equals(run.status()) && !run.conclusion().orElse("").equals("success");
  }

  private static String state(WorkflowRun run) {
    return "completed".equals(run.status()) ? run.conclusion().orElse("no conclusion") : run.status();
  }

  private static Optional<GitHubException> gitHubFailure(CompletableFuture<?> future) {
    if (!future.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      future.join();
      return Optional.empty();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = Futures.cause(e);
      return cause instanceof GitHubException gitHub ? Optional.of(gitHub) : Optional.empty();
    }
  }

  private static String failure(Throwable error) {
    Throwable cause = Futures.cause(error);
    if (cause instanceof CancellationException) {
      return "cancelled";
    }
    return cause instanceof GitHubException gitHub ? gitHub.summary()
        : cause.getClass().getSimpleName();
  }
}
