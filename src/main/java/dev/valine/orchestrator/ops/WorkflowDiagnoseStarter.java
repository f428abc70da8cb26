package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.ProgressNotRecordedException;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts {@code DIAGNOSE_WORKFLOW} on {@code DEPLOY_REF} once per interaction, without following it, for a command
 * that does something else too ({@code /verify-latest diagnose:true}). Its progress facts are prefixed
 * {@code diagnose_}, so they never mix with the calling command's own.
 */
public final class WorkflowDiagnoseStarter implements DiagnoseStarter {
  private final Optional<Supplier<GitHubClient>> github;
  private final OpsSettings settings;
  private final WorkflowDispatch dispatch;

  /**
   * @param github empty when {@code GITHUB_REPO} is not set; built on first use
   * @param githubApiBase {@code GITHUB_API_BASE}, for links to the workflow's runs page
   * @param dryRun {@code DRY_RUN}: say what would be dispatched, and dispatch nothing
   */
  public WorkflowDiagnoseStarter(Optional<Supplier<GitHubClient>> github, String githubApiBase, boolean dryRun, OpsSettings settings,
      Metrics metrics, Clock clock) {
    this.github = github;
    this.settings = settings;
    // Never sleeps: it does not look for the run.
    this.dispatch = new WorkflowDispatch(githubApiBase, dryRun, metrics, clock, Sleeper.SYSTEM);
  }

  @Override
  public String start(CommandContext context) throws InterruptedException {
    if (github.isEmpty()) {
      return "🩺 Diagnosis not started: GitHub is not configured for this bot (GITHUB_REPO, GITHUB_TOKEN).";
    }
    GitHubClient client = github.get().get();
    DispatchTarget target = DispatchTarget.of(DiagnoseCommand.LABEL, settings.diagnoseWorkflow(), context.interaction());
    Dispatched dispatched;
    try {
      dispatched = dispatch.dispatchOnce(context, client, target,
          () -> new DispatchInputs(settings.deployRef(), OptionChecks.base(context, target)));
    } catch (ProgressNotRecordedException e) {
      // Recorded before every act: what could not be recorded was not done, or was done and its run is findable by id.
      return "🩺 Diagnosis not started: I could not record my progress, so I stopped before dispatching anything more.";
    }
    String runsPage = dispatch.links(client).runsPage(target.workflow());
    if (dispatched instanceof Dispatched.Known known) {
      return "🩺 Diagnosis started: " + known.htmlUrl().map(RunText::link).orElse("run " + known.runId() + " in " + runsPage);
    }
    if (dispatched instanceof Dispatched.Unknown unknown) {
      if (unknown.unclearAnswer().isPresent()) {
        return "🩺 " + unknown.unclearAnswer().get() + " Look for a run named `" + target.correlationId() + "`.";
      }
      return unknown.accepted()
          ? "🩺 Diagnosis dispatched; its run is named `" + target.correlationId() + "`: " + runsPage
          : "🩺 A diagnosis was already asked for by an earlier attempt; not dispatched again. Look for a run named `"
              + target.correlationId() + "`: " + runsPage;
    }
    return ((Dispatched.Ended) dispatched).text();
  }
}
