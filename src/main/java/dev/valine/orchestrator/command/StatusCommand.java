package dev.valine.orchestrator.command;

import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.util.Futures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /status [count]}: the newest runs of the workflows in {@code STATUS_WORKFLOWS} (all workflows
 * when unset), fetched in parallel within the command's deadline. One failing workflow does not hide the
 * others; when every fetch fails the answer is an ephemeral explanation.
 */
public final class StatusCommand implements SlashCommand {
  static final int DEFAULT_COUNT = 3;
  private static final String ALL_WORKFLOWS = "All workflows";
  static final int MAX_COUNT = 10;
  private static final Logger LOG = LoggerFactory.getLogger(StatusCommand.class);

  private final Optional<Supplier<GitHubClient>> github;
  private final List<String> workflows;
  private final String stage;
  private final Clock clock;

  /**
   * @param github empty when {@code GITHUB_REPO} is not configured; a supplier so that the HTTP client is
   *     built on the first {@code /status}, not at cold start
   */
  public StatusCommand(Optional<Supplier<GitHubClient>> github, List<String> workflows, String stage, Clock clock) {
    this.github = github;
    this.workflows = List.copyOf(workflows);
    this.stage = stage;
    this.clock = clock;
  }

  @Override
  public CommandDefinition definition() {
    return new CommandDefinition("status", "Recent runs of the deploy workflows",
        List.of(OptionDefinition.integer("count", "Runs per workflow (1-10, default 3)", 1, MAX_COUNT)));
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws InterruptedException {
    if (github.isEmpty()) {
      return InteractionResponse.ephemeral("GitHub is not configured for this bot: set GITHUB_REPO (owner/name), "
          + "GITHUB_TOKEN and STATUS_WORKFLOWS, then redeploy.");
    }
    long requested = context.interaction().option("count").flatMap(o -> o.longValue()).orElse((long) DEFAULT_COUNT);
    if (requested < 1 || requested > MAX_COUNT) {
      return InteractionResponse.ephemeral("`count` must be between 1 and " + MAX_COUNT + ", got " + requested + ".");
    }
    int count = (int) requested;
    GitHubClient client = github.get().get();

    // Registered with the run's cancellation: if this run is given up, its GitHub calls are aborted.
    Map<String, CompletableFuture<List<WorkflowRun>>> pending = new LinkedHashMap<>();
    Map<String, ExecutionTrace.Step> steps = new LinkedHashMap<>();
    if (workflows.isEmpty()) {
      steps.put(ALL_WORKFLOWS, context.trace().step("github.runs " + client.repo()));
      pending.put(ALL_WORKFLOWS, context.cancellation().register(client.recentRuns(count, context.deadline())));
    } else {
      for (String workflow : workflows) {
        steps.put(workflow, context.trace().step("github.runs " + workflow));
        pending.put(workflow, context.cancellation().register(client.recentRuns(workflow, count, context.deadline())));
      }
    }
    pending.forEach((workflow, future) -> future.whenComplete((runs, error) -> endStep(steps.get(workflow), runs, error)));
    Futures.awaitAll(pending.values(), context.deadline().remaining());

    StatusReport report = new StatusReport(client.repo(), stage, clock.instant());
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<List<WorkflowRun>>> entry : pending.entrySet()) {
      Optional<String> problem = problem(context, entry.getKey(), entry.getValue(), steps.get(entry.getKey()));
      if (problem.isPresent()) {
        failures.add(problem.get());
        report.failedSection(entry.getKey(), problem.get());
      } else {
        List<WorkflowRun> runs = entry.getValue().join();
        runs.stream().findFirst().ifPresent(newest -> context.trace().link(entry.getKey(), newest.htmlUrl()));
        report.section(entry.getKey(), runs);
      }
    }
    if (failures.size() == pending.size()) {
      context.trace().fail("no workflow status could be fetched: " + String.join("; ", failures));
      // Nothing to show: tell only the caller, and say what failed.
      return InteractionResponse.ephemeral(failures.size() == 1 || failures.stream().distinct().count() == 1
          ? failures.get(0)
          : "I could not get any workflow status:\n• " + String.join("\n• ", failures));
    }
    return InteractionResponse.message(report.render());
  }


  private static void endStep(ExecutionTrace.Step step, List<WorkflowRun> runs, Throwable error) {
    if (error == null) {
      step.ok(runs.size() + (runs.size() == 1 ? " run" : " runs"));
    } else if (error instanceof CancellationException) {
      step.fail("cancelled: this run was given up");
    } else {
      Throwable cause = Futures.cause(error);
      step.fail(cause instanceof GitHubException gitHub ? gitHub.summary()
          : cause.getClass().getSimpleName());
    }
  }


  /** What went wrong for one workflow, or empty if its runs arrived. Alerts on failures users cannot fix. */
  private Optional<String> problem(CommandContext context, String workflow, CompletableFuture<List<WorkflowRun>> future,
      ExecutionTrace.Step step) {
    if (!future.isDone()) {
      step.fail("no answer within the command budget");
      // Aborts the HTTP call: nothing waits for it any more.
      future.cancel(true);
      LOG.warn("GitHub did not answer for workflow {} within the command budget", workflow);
      return Optional.of("GitHub did not answer in time. Try again in a moment.");
    }
    try {
      future.join();
      return Optional.empty();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = Futures.cause(e);
      if (cause instanceof GitHubException gitHub) {
        LOG.warn("GitHub call failed for workflow {}: {} {}", workflow, gitHub.kind(), gitHub.httpStatus().orElse(0));
        if (gitHub.kind().isOperational()) {
          context.alert(Severity.ERROR, "GitHub call failed", "Fetching runs of `" + workflow + "`: " + gitHub.getMessage(),
              "GitHub " + gitHub.kind());
        }
        return Optional.of(gitHub.getMessage());
      }
      throw e;
    }
  }
}
