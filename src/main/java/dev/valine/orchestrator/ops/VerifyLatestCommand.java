package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.Interaction;
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
 * {@code /verify-latest [run_url] [diagnose]}: verifies the newest run of {@code DEPLOY_WORKFLOW}, or the run a
 * link names (it must be a run of {@code GITHUB_REPO}), and the deployed targets (see {@link Verification}).
 * Anyone may verify. {@code diagnose:true} also starts the diagnose workflow; only operators may ask for it, and
 * from anyone else the whole invocation is refused, so that nobody gets half of what they asked for. With it the
 * invocation changes something, so it runs once, deferred, under a claim; without it, it only reads.
 */
public final class VerifyLatestCommand implements SlashCommand {
  static final String NAME = "verify-latest";
  static final String NOT_CONFIGURED = "GitHub is not configured for this bot: set `GITHUB_REPO` (owner/name) and `GITHUB_TOKEN` "
      + "(with Actions and Variables read access), then redeploy.";

  private final Optional<Supplier<GitHubClient>> github;
  private final String githubApiBase;
  private final Permissions permissions;
  private final DiagnoseStarter diagnose;
  private final Verification verification;

  /**
   * @param github empty when {@code GITHUB_REPO} is not configured; a supplier so that the client is built on first use
   * @param githubApiBase {@code GITHUB_API_BASE}: a run link must be on the web host that goes with it (github.com, or a
   *     GitHub Enterprise host)
   * @param settings {@code DEPLOY_WORKFLOW}, the deploy targets' environment fallbacks and the paths to check
   * @param http the fetcher under the URL rules ({@code ALLOWED_TARGET_DOMAINS}, {@code ALLOW_PRIVATE_TARGETS}), built on
   *     first use
   * @param diagnose starts the diagnose workflow, once per interaction, for {@code diagnose:true}
   */
  public VerifyLatestCommand(Optional<Supplier<GitHubClient>> github, String githubApiBase, OpsSettings settings,
      Permissions permissions, Supplier<SafeHttp> http, DiagnoseStarter diagnose, Metrics metrics, Clock clock) {
    this(github, githubApiBase, settings, permissions, http, diagnose, TargetChecks.PER_REQUEST, metrics, clock);
  }

  /** @param perRequest each fetch's timeout, before its one retry */
  VerifyLatestCommand(Optional<Supplier<GitHubClient>> github, String githubApiBase, OpsSettings settings, Permissions permissions,
      Supplier<SafeHttp> http, DiagnoseStarter diagnose, Duration perRequest, Metrics metrics, Clock clock) {
    this.github = github;
    // Kept as given: working out the web host parses a URL with OkHttp, which a PING's cold start must not load.
    this.githubApiBase = githubApiBase;
    this.permissions = permissions;
    this.diagnose = diagnose;
    this.verification = new Verification(settings, http, perRequest, metrics, clock);
  }

  @Override
  public CommandDefinition definition() {
    return new CommandDefinition(NAME, "Verify the newest deploy run and the deployed frontend and API", List.of(
        OptionDefinition.string("run_url", "A run's link, to verify that run instead of the newest", false),
        OptionDefinition.bool("diagnose", "Also start the diagnose workflow (operators only)", false)));
  }

  /**
   * Only {@code diagnose:true} from an operator changes something: it dispatches a workflow. Anyone else's
   * {@code diagnose:true} is refused at once, inline and ephemeral, with nothing claimed.
   */
  @Override
  public boolean changesSomething(Interaction interaction) {
    return diagnoseAsked(interaction) && permissions.isOperator(interaction);
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws InterruptedException {
    Interaction interaction = context.interaction();
    boolean diagnosis = diagnoseAsked(interaction);
    if (diagnosis) {
      Optional<InteractionResponse> refused = permissions.refuseUnlessOperator(interaction, "run a diagnosis (`diagnose:true`); "
          + "anyone may verify without it");
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    if (github.isEmpty()) {
      return InteractionResponse.ephemeral(NOT_CONFIGURED);
    }
    GitHubClient client = github.get().get();
    Optional<Long> runId = Optional.empty();
    Optional<String> link = interaction.option("run_url").flatMap(CommandOption::stringValue);
    if (link.isPresent()) {
      RunReference.Parsed parsed = new RunReference(client.repo(), RunReference.webHostFor(githubApiBase)).parse(link.get());
      if (parsed.refusal().isPresent()) {
        return InteractionResponse.ephemeral(parsed.refusal().get());
      }
      runId = parsed.runId();
    }
    // The diagnosis asked for is started first: a slow verification must not use up the time it needs.
    List<String> trailer = diagnosis ? List.of(diagnose.start(context)) : List.of();
    Verification.Outcome outcome = verification.verify(context, client, runId);
    if (outcome.refusal().isPresent()) {
      return trailer.isEmpty() ? InteractionResponse.ephemeral(outcome.refusal().get())
          : InteractionResponse.message(outcome.refusal().get() + "\n\n" + trailer.get(0));
    }
    return InteractionResponse.message(outcome.report().orElseThrow().render(trailer));
  }

  private static boolean diagnoseAsked(Interaction interaction) {
    return interaction.booleanOption("diagnose").orElse(false);
  }
}
