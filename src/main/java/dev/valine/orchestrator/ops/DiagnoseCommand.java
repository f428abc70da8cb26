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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /diagnose [frontend_url] [api_base]}: dispatches {@code DIAGNOSE_WORKFLOW} once on {@code DEPLOY_REF}, follows
 * the run, and when it is done shows the checks of its {@code diagnose-summary} artifact, one line each. Operators
 * only, in a server only.
 */
public final class DiagnoseCommand extends FollowingCommand {
  static final String NAME = "diagnose";
  static final String LABEL = "diagnose";
  // The last edit, plus listing and downloading the artifact.
  private static final Duration KEEP_AFTER = DispatchAndFollow.LAST_EDIT.plus(DiagnoseSummary.READ_LIMIT);

  private final OpsSettings settings;
  private final Supplier<SafeHttp> urls;
  private final DiagnoseSummary summary;

  /**
   * @param github empty when {@code GITHUB_REPO} is not set; built on first use
   * @param githubApiBase {@code GITHUB_API_BASE}, for links to the workflow's runs page
   * @param dryRun {@code DRY_RUN}: say what would be dispatched, and dispatch nothing
   * @param urls the URL rules {@code frontend_url} and {@code api_base} must pass (resolved addresses included)
   * @param sleeper the waits between polls of the run
   */
  public DiagnoseCommand(Optional<Supplier<GitHubClient>> github, String githubApiBase, boolean dryRun, OpsSettings settings,
      Permissions permissions, Supplier<SafeHttp> urls, Metrics metrics, Clock clock, Sleeper sleeper) {
    super(new DispatchAndFollow(github, githubApiBase, dryRun, permissions, metrics, clock, sleeper));
    this.settings = settings;
    this.urls = urls;
    this.summary = new DiagnoseSummary(clock);
  }

  @Override
  boolean optionsWellFormed(Interaction interaction) {
    return OptionChecks.wellFormed(interaction, List.of("frontend_url", "api_base"), urls.get().policy());
  }

  @Override
  public CommandDefinition definition() {
    return CommandDefinition.guildOnly(NAME, "Run the diagnose workflow and show its checks", List.of(
        OptionDefinition.string("frontend_url", "Frontend to diagnose (https://…; default: the workflow's own)", false),
        OptionDefinition.string("api_base", "API base URL to diagnose (https://…; default: the workflow's own)", false)));
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws Exception {
    return flow().run(context, LABEL, settings.diagnoseWorkflow(), "run a diagnosis", () -> inputs(context), KEEP_AFTER,
        (ctx, github, finished, maxChars) -> Optional.of(summary.read(ctx, github, finished.run().id(), maxChars)));
  }

  private DispatchInputs inputs(CommandContext context) throws InputRefusedException {
    Map<String, String> inputs = OptionChecks.base(context, DispatchTarget.of(LABEL, settings.diagnoseWorkflow(), context.interaction()));
    Optional<String> frontend = OptionChecks.url(context, "frontend_url", urls.get());
    Optional<String> apiBase = OptionChecks.url(context, "api_base", urls.get());
    frontend.ifPresent(url -> inputs.put("frontend_url", url));
    apiBase.ifPresent(url -> inputs.put("api_base", url));
    return new DispatchInputs(settings.deployRef(), inputs);
  }
}
