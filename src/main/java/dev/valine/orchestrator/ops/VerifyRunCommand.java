package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.observability.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /verify-run run_id:<id>}: verifies one run of the repository, given by its id, and the deployed targets
 * (see {@link Verification}). Anyone may run it; it only reads. It takes longer than the inline budget when
 * GitHub or a target is slow, and is then deferred like any command.
 */
public final class VerifyRunCommand implements SlashCommand {
  static final String NAME = "verify-run";
  // Discord's INTEGER options hold up to 2^53 - 1 (the largest integer a double keeps exactly).
  static final long MAX_RUN_ID = (1L << 53) - 1;

  private final Optional<Supplier<GitHubClient>> github;
  private final Verification verification;

  /**
   * @param github empty when {@code GITHUB_REPO} is not configured; a supplier so that the client is built on first use
   * @param settings {@code DEPLOY_WORKFLOW}, the deploy targets' environment fallbacks and the paths to check
   * @param http the fetcher under the URL rules ({@code ALLOWED_TARGET_DOMAINS}, {@code ALLOW_PRIVATE_TARGETS}), built on
   *     first use
   */
  public VerifyRunCommand(Optional<Supplier<GitHubClient>> github, OpsSettings settings, Supplier<SafeHttp> http, Metrics metrics,
      Clock clock) {
    this(github, settings, http, TargetChecks.PER_REQUEST, metrics, clock);
  }

  /** @param perRequest each fetch's timeout, before its one retry */
  VerifyRunCommand(Optional<Supplier<GitHubClient>> github, OpsSettings settings, Supplier<SafeHttp> http, Duration perRequest,
      Metrics metrics, Clock clock) {
    this.github = github;
    this.verification = new Verification(settings, http, perRequest, metrics, clock);
  }

  @Override
  public CommandDefinition definition() {
    return new CommandDefinition(NAME, "Verify a deploy run and the deployed frontend and API",
        List.of(OptionDefinition.requiredInteger("run_id", "The run's id: the number after /actions/runs/ in its link", 1,
            MAX_RUN_ID)));
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws InterruptedException {
    if (github.isEmpty()) {
      return InteractionResponse.ephemeral(VerifyLatestCommand.NOT_CONFIGURED);
    }
    Optional<Long> runId = context.interaction().option("run_id").flatMap(CommandOption::longValue);
    if (runId.isEmpty() || runId.get() < 1) {
      return InteractionResponse.ephemeral("Give the run's id, a positive number: it is the number after `/actions/runs/` in the "
          + "run's link.");
    }
    Verification.Outcome outcome = verification.verify(context, github.get().get(), runId);
    if (outcome.refusal().isPresent()) {
      return InteractionResponse.ephemeral(outcome.refusal().get());
    }
    return InteractionResponse.message(outcome.report().orElseThrow().render(List.of()));
  }
}
