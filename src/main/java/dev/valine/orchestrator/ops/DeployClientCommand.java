package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /deploy-client [api_base] [ref]}: dispatches {@code DEPLOY_WORKFLOW} once, with inputs {@code correlation_id},
 * {@code requester} and {@code api_base} when given, then follows the run to its end (at most 14 minutes), editing
 * the reply as it moves. Operators only, in a server only.
 */
public final class DeployClientCommand extends FollowingCommand {
  static final String NAME = "deploy-client";
  static final String LABEL = "deploy";

  private final OpsSettings settings;
  private final Supplier<SafeHttp> urls;

  /**
   * @param github empty when {@code GITHUB_REPO} is not set; built on first use
   * @param githubApiBase {@code GITHUB_API_BASE}, for links to the workflow's runs page
   * @param dryRun {@code DRY_RUN}: say what would be dispatched, and dispatch nothing
   * @param urls the URL rules an {@code api_base} option must pass (resolved addresses included); built on first use
   * @param sleeper the waits between polls of the run
   */
  public DeployClientCommand(Optional<Supplier<GitHubClient>> github, String githubApiBase, boolean dryRun, OpsSettings settings,
      Permissions permissions, Supplier<SafeHttp> urls, Metrics metrics, Clock clock, Sleeper sleeper) {
    super(new DispatchAndFollow(github, githubApiBase, dryRun, permissions, metrics, clock, sleeper));
    this.settings = settings;
    this.urls = urls;
  }

  @Override
  boolean optionsWellFormed(Interaction interaction) {
    return OptionChecks.wellFormed(interaction, List.of("api_base"), urls.get().policy());
  }

  @Override
  public CommandDefinition definition() {
    return CommandDefinition.guildOnly(NAME, "Deploy the client: dispatch the deploy workflow and follow its run", List.of(
        OptionDefinition.string("api_base", "API base URL the client is built against (https://…)", false),
        OptionDefinition.string("ref", "Branch or tag to deploy (default: DEPLOY_REF)", false)));
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws Exception {
    return flow().run(context, LABEL, settings.deployWorkflow(), "deploy the client", () -> inputs(context),
        DispatchAndFollow.LAST_EDIT, DispatchAndFollow.Afterwards.NOTHING);
  }

  private DispatchInputs inputs(CommandContext context) throws InputRefusedException {
    String ref = OptionChecks.ref(context, settings.deployRef());
    Map<String, String> inputs = OptionChecks.base(context, DispatchTarget.of(LABEL, settings.deployWorkflow(), context.interaction()));
    Optional<String> apiBase = OptionChecks.url(context, "api_base", urls.get());
    apiBase.ifPresent(url -> inputs.put("api_base", url));
    return new DispatchInputs(ref, inputs);
  }
}
