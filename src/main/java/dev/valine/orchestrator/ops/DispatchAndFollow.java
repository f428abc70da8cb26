package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.ProgressNotRecordedException;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code /deploy-client} and {@code /diagnose} share: who may, whether GitHub is configured, the dispatch
 * once per interaction, finding its run, following it, and the last answer.
 */
final class DispatchAndFollow {
  /** Time kept after following for the last edit of the reply. */
  static final Duration LAST_EDIT = Duration.ofSeconds(15);

  /** What a command adds to the answer once its run has finished. */
  @FunctionalInterface
  interface Afterwards {
    /** @return text to append, at most {@code maxChars}, or empty */
    Optional<String> after(CommandContext context, GitHubClient github, Followed.Finished finished, int maxChars)
        throws InterruptedException;

    Afterwards NOTHING = (context, github, finished, maxChars) -> Optional.empty();
  }

  private final Optional<Supplier<GitHubClient>> github;
  private final Permissions permissions;
  private final Metrics metrics;
  private final Clock clock;
  private final WorkflowDispatch dispatch;
  private final RunFollower follower;

  DispatchAndFollow(Optional<Supplier<GitHubClient>> github, String githubApiBase, boolean dryRun, Permissions permissions, Metrics metrics,
      Clock clock, Sleeper sleeper) {
    this.github = github;
    this.permissions = permissions;
    this.metrics = metrics;
    this.clock = clock;
    this.dispatch = new WorkflowDispatch(githubApiBase, dryRun, metrics, clock, sleeper);
    this.follower = new RunFollower(metrics, clock, sleeper);
  }

  boolean mayDispatch(dev.valine.orchestrator.discord.Interaction interaction) {
    return permissions.isOperator(interaction);
  }

  /**
   * @param action what a refusal says was refused: "deploy the client"
   * @param keepAfter the time to keep after following, for the last edit and what {@code afterwards} does
   */
  InteractionResponse run(CommandContext context, String label, String workflow, String action, DispatchInputs.Check check,
      Duration keepAfter, Afterwards afterwards) throws InterruptedException, ProgressNotRecordedException {
    Optional<InteractionResponse> refusal = permissions.refuseUnlessOperator(context.interaction(), action);
    if (refusal.isPresent()) {
      context.trace().step("dispatch " + label).fail("refused: not an operator");
      metrics.workflowDispatch(label, "refused");
      return refusal.get();
    }
    if (github.isEmpty()) {
      context.trace().step("dispatch " + label).fail("refused: GitHub not configured");
      metrics.workflowDispatch(label, "refused");
      return InteractionResponse.ephemeral("GitHub is not configured for this bot: set GITHUB_REPO (owner/name) and a "
          + "GITHUB_TOKEN with Actions write, then redeploy. Nothing was dispatched.");
    }
    GitHubClient client = github.get().get();
    DispatchTarget target = DispatchTarget.of(label, workflow, context.interaction());
    Dispatched dispatched = dispatch.dispatchOnce(context, client, target, check);
    if (dispatched instanceof Dispatched.Unknown unknown) {
      // GitHub accepted it without naming the run: finding it takes seconds to minutes, and the reply says so meanwhile.
      context.updates().show(InteractionResponse.message(RunReport.lookingForRun(target, unknown)));
      dispatched = dispatch.findRun(context, client, target, unknown, keepAfter);
    }
    if (dispatched instanceof Dispatched.Ended ended) {
      return ended.refused() ? InteractionResponse.ephemeral(ended.text()) : InteractionResponse.message(ended.text());
    }
    Followed followed = follower.follow(context, client, target, (Dispatched.Known) dispatched, keepAfter);
    String text = RunReport.render(target, followed, clock.instant());
    if (followed instanceof Followed.Finished finished) {
      int room = MessageText.MAX_CONTENT - text.length() - 2;
      Optional<String> more = room > 100 ? afterwards.after(context, client, finished, room) : Optional.empty();
      if (more.isPresent()) {
        text = text + "\n\n" + more.get();
      }
    }
    return InteractionResponse.message(text);
  }
}
