package dev.valine.orchestrator.ops;

import static dev.valine.orchestrator.observability.LogField.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.command.Progress;
import dev.valine.orchestrator.command.ProgressNotRecordedException;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.VariableWrite;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlRefusedException;
import dev.valine.orchestrator.observability.ExecutionTrace;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /set-frontend} and {@code /set-api-base}: set the repository variable a deploy target lives in
 * ({@code FRONTEND_BASE_URL}, {@code VITE_API_BASE}), which {@code /verify-*} and the deploy workflow read.
 * Admins only, in a guild only, and only with {@code ENABLE_ADMIN_WRITES=true}. The URL passes the URL rules
 * (resolved addresses included) before anything else happens. Without {@code confirm:true} the answer only
 * shows what would change; with it the variable is written once per interaction, and an {@code info} alert
 * says who changed what. Values are shown as scheme, host and path with a fingerprint, never whole.
 */
public final class SetTargetCommand implements SlashCommand {
  static final String URL_OPTION = "url";
  static final String CONFIRM_OPTION = "confirm";
  /** Recorded before the write, with what the variable held: a retried job knows a write may have happened. */
  static final String WRITE_REQUESTED = "variable_write_requested";
  /** Recorded after the write: a retried job reports it and writes nothing. */
  static final String WRITTEN = "variable_written";
  private static final String ACTION = "change the deploy targets";
  private static final Logger LOG = LoggerFactory.getLogger(SetTargetCommand.class);

  private final String name;
  private final String variable;
  private final String description;
  private final String nextStep;
  private final Optional<Supplier<GitHubClient>> github;
  private final OpsSettings settings;
  private final Permissions permissions;
  private final Supplier<SafeHttp> urls;
  private final boolean dryRun;

  /**
   * @param nextStep the sentence an answer ends with after a change: what to run to see its effect
   */
  SetTargetCommand(String name, String variable, String description, String nextStep, Optional<Supplier<GitHubClient>> github,
      OpsSettings settings, Permissions permissions, Supplier<SafeHttp> urls, boolean dryRun) {
    this.name = name;
    this.variable = variable;
    this.description = description;
    this.nextStep = nextStep;
    this.github = github;
    this.settings = settings;
    this.permissions = permissions;
    this.urls = urls;
    this.dryRun = dryRun;
  }

  /**
   * {@code /set-frontend}: the repository variable {@code FRONTEND_BASE_URL}.
   *
   * @param github empty when {@code GITHUB_REPO} is not configured; built on first use
   * @param urls the URL rules with name resolution, built on first use
   * @param dryRun {@code DRY_RUN}: everything but the write, which is logged as "dry-run: would …"
   */
  public static SetTargetCommand frontend(Optional<Supplier<GitHubClient>> github, OpsSettings settings, Permissions permissions,
      Supplier<SafeHttp> urls, boolean dryRun) {
    return new SetTargetCommand("set-frontend", "FRONTEND_BASE_URL", "Set the frontend URL that deploys and /verify-* use "
        + "(repository variable FRONTEND_BASE_URL)", "Run `/verify-latest` to check the new target.", github, settings, permissions,
        urls, dryRun);
  }

  /** {@code /set-api-base}: the repository variable {@code VITE_API_BASE}; parameters as for {@link #frontend}. */
  public static SetTargetCommand apiBase(Optional<Supplier<GitHubClient>> github, OpsSettings settings, Permissions permissions,
      Supplier<SafeHttp> urls, boolean dryRun) {
    return new SetTargetCommand("set-api-base", "VITE_API_BASE", "Set the API base URL the client is built with "
        + "(repository variable VITE_API_BASE)", "Run `/verify-latest` to check the new target; the client is built with it "
        + "from its next deploy (`/deploy-client`).", github, settings, permissions, urls, dryRun);
  }

  @Override
  public CommandDefinition definition() {
    return CommandDefinition.guildOnly(name, description, List.of(
        OptionDefinition.string(URL_OPTION, "The new URL, in full: https://…", true),
        OptionDefinition.bool(CONFIRM_OPTION, "true: write it. Without it, only show what would change", false)));
  }

  /**
   * Only {@code confirm:true} from someone who may write, where writing is switched on, writes: that runs once,
   * deferred, under a job claim. Anything else (a preview, a refusal) is a plain read-only command answered inline.
   */
  @Override
  public boolean changesSomething(Interaction interaction) {
    return interaction.booleanOption(CONFIRM_OPTION).orElse(false) && settings.adminWrites() && github.isPresent()
        && permissions.isAdmin(interaction);
  }

  /** Answers carry the variable's hosts and fingerprints, for the admin; the ops channel gets the alert. */
  @Override
  public boolean ephemeral() {
    return true;
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws Exception {
    Interaction interaction = context.interaction();
    Optional<InteractionResponse> refused = permissions.refuseUnlessAdmin(interaction, ACTION);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (!settings.adminWrites()) {
      return InteractionResponse.ephemeral("`/" + name + "` is switched off here: it changes nothing unless the bot runs with "
          + "`ENABLE_ADMIN_WRITES=true` (false by default, and in prod). Ask whoever deploys the bot, or change the repository "
          + "variable `" + variable + "` on GitHub.");
    }
    if (github.isEmpty()) {
      return InteractionResponse.ephemeral("GitHub is not configured for this bot: set GITHUB_REPO (owner/name) and GITHUB_TOKEN "
          + "(fine-grained: Variables \"Read and write\"), then redeploy.");
    }
    String text = interaction.option(URL_OPTION).flatMap(CommandOption::stringValue).map(String::trim).orElse("");
    boolean write = changesSomething(interaction);
    if (write && context.progress().get(WRITE_REQUESTED).isPresent()) {
      // Before the URL rules: their answer may differ now (a name resolves elsewhere), and a resume writes nothing.
      return resume(context, github.get().get(), new TargetValue(text));
    }
    try (ExecutionTrace.Step step = context.trace().step("url.check")) {
      try {
        urls.get().checkTarget(text);
        step.ok();
      } catch (UrlRefusedException e) {
        step.fail("refused");
        return InteractionResponse.ephemeral("Nothing was written: " + e.getMessage());
      }
    }
    TargetValue wanted = new TargetValue(text);
    GitHubClient client = github.get().get();
    Optional<TargetValue> current;
    try {
      current = read(context, client);
    } catch (GitHubException e) {
      return failedRead(context, client, e);
    }
    if (current.filter(wanted::equals).isPresent()) {
      return InteractionResponse.ephemeral("`" + variable + "` in " + client.repo() + " is already " + wanted.described()
          + ": nothing to change.");
    }
    Before before = Before.of(current);
    String change = before.described() + "\n→ " + wanted.described();
    if (!write) {
      return InteractionResponse.ephemeral("Would change `" + variable + "` in " + client.repo() + ":\n" + change + "\nNothing was "
          + "written. To write it, run `/" + name + "` again with the same `url` and `confirm:true`."
          + (dryRun ? "\nDRY_RUN is on: even then nothing will be written." : ""));
    }
    if (dryRun) {
      LOG.info("dry-run: would set repository variable", kv("variable", variable), kv("old_fingerprint", before.fingerprint()),
          kv("new_fingerprint", wanted.fingerprint()), kv("new_target", wanted.shown()));
      return InteractionResponse.ephemeral("Dry run (DRY_RUN=true): nothing was written. It would change `" + variable + "` in "
          + client.repo() + ":\n" + change);
    }
    return write(context, client, before, wanted);
  }

  /** Writes the variable once, recording the request before and the outcome after. */
  private InteractionResponse write(CommandContext context, GitHubClient client, Before before, TargetValue wanted)
      throws InterruptedException, ProgressNotRecordedException {
    context.progress().record(WRITE_REQUESTED, before.toJson());
    VariableWrite outcome;
    try (ExecutionTrace.Step step = context.trace().step("github.variable write " + variable)) {
      try {
        outcome = await(context, client.setVariable(variable, wanted.value(), context.deadline()),
            "The variable may have been changed anyway: run `/" + name + "` without `confirm` to see its value before trying again.");
        step.ok(outcome.name().toLowerCase(Locale.ROOT));
      } catch (GitHubException e) {
        step.fail(e.summary());
        return failedWrite(context, client, e);
      }
    }
    LOG.info("repository variable changed", kv("variable", variable), kv("write", outcome.name().toLowerCase(Locale.ROOT)),
        kv("old_fingerprint", before.fingerprint()), kv("new_fingerprint", wanted.fingerprint()), kv("old_host", before.host()),
        kv("new_host", wanted.host()));
    try {
      context.progress().record(WRITTEN, outcome.name().toLowerCase(Locale.ROOT));
    } catch (ProgressNotRecordedException e) {
      // The variable has changed. Taken over: the attempt holding the job reads it back and announces it. The store
      // failed: nobody else will, so announce it before stopping.
      if (!e.takenOver()) {
        announce(context, client, before, wanted);
      }
      throw e;
    }
    announce(context, client, before, wanted);
    return InteractionResponse.ephemeral("✅ Changed `" + variable + "` in " + client.repo()
        + (outcome == VariableWrite.CREATED ? " (created)" : "") + ":\n" + before.described() + "\n→ " + wanted.described() + "\n"
        + nextStep);
  }

  /**
   * A retried job of an interaction that asked GitHub for the write: reports a recorded write; else reads the
   * variable back, because the earlier attempt stopped without knowing, and never writes blindly again.
   */
  private InteractionResponse resume(CommandContext context, GitHubClient client, TargetValue wanted)
      throws InterruptedException, ProgressNotRecordedException {
    Progress progress = context.progress();
    Before before = Before.fromJson(progress.get(WRITE_REQUESTED).orElseThrow());
    String change = before.described() + "\n→ " + wanted.described();
    if (progress.get(WRITTEN).isPresent()) {
      return InteractionResponse.ephemeral("✅ Changed `" + variable + "` in " + client.repo() + " (by an earlier attempt of this "
          + "command):\n" + change + "\n" + nextStep);
    }
    Optional<TargetValue> now;
    try {
      now = read(context, client);
    } catch (GitHubException e) {
      context.trace().fail("could not read back the variable an earlier attempt may have written: " + e.getMessage());
      return InteractionResponse.ephemeral("An earlier attempt of this command stopped after asking GitHub to change `" + variable
          + "`, and I could not read it back: " + e.getMessage() + " Nothing was written now; look at the variable on GitHub (or "
          + "run `/" + name + "` without `confirm`) before trying again.");
    }
    if (now.filter(wanted::equals).isPresent()) {
      progress.record(WRITTEN, "found_on_resume");
      announce(context, client, before, wanted);
      return InteractionResponse.ephemeral("✅ Changed `" + variable + "` in " + client.repo() + " (by an earlier attempt of this "
          + "command, read back now):\n" + change + "\n" + nextStep);
    }
    context.trace().fail("an earlier attempt may not have written the variable; not written again");
    return InteractionResponse.ephemeral("An earlier attempt of this command stopped after asking GitHub to change `" + variable
        + "`, and it may not have written it: the variable is now " + now.map(TargetValue::described).orElse("not set")
        + ". Nothing was written now; run `/" + name + "` again to try once more.");
  }

  private Optional<TargetValue> read(CommandContext context, GitHubClient client) throws InterruptedException, GitHubException {
    try (ExecutionTrace.Step step = context.trace().step("github.variable read " + variable)) {
      try {
        Optional<String> value = await(context, client.variable(variable, context.deadline()), "Try again in a moment.");
        step.ok(value.isPresent() ? "set" : "not set");
        return value.map(TargetValue::new);
      } catch (GitHubException e) {
        step.fail(e.summary());
        throw e;
      }
    }
  }

  private InteractionResponse failedRead(CommandContext context, GitHubClient client, GitHubException e) {
    LOG.warn("could not read repository variable {}: {} {}", variable, e.kind(), e.httpStatus().orElse(0));
    context.trace().fail("could not read the variable: " + e.getMessage());
    if (e.kind().isOperational()) {
      context.alert(Severity.ERROR, "GitHub call failed", "Reading `" + variable + "` in " + client.repo() + " for /" + name + ": "
          + e.getMessage(), "GitHub " + e.kind());
    }
    return InteractionResponse.ephemeral("I could not read `" + variable + "` in " + client.repo() + ", so nothing was written: "
        + e.getMessage());
  }

  /** A write that failed or whose outcome is unknown: the team hears of it either way, a deploy target may be wrong. */
  private InteractionResponse failedWrite(CommandContext context, GitHubClient client, GitHubException e) {
    LOG.error("repository variable write failed {} {}", kv("variable", variable), kv("github_error", e.kind().name()),
        kv("http_status", e.httpStatus().orElse(0)));
    context.trace().fail("variable write failed: " + e.getMessage());
    context.alert(Severity.ERROR, "Repository variable write failed", "/" + name + " could not set `" + variable + "` in "
        + client.repo() + ": " + e.getMessage(), "GitHub " + e.kind());
    return InteractionResponse.ephemeral("I could not change `" + variable + "` in " + client.repo() + ": " + e.getMessage());
  }

  /** The record of a change in the ops channel, so that no change is silent: who, which variable, old and new. */
  private void announce(CommandContext context, GitHubClient client, Before before, TargetValue wanted) {
    context.alert(Severity.INFO, variable + " changed: " + before.fingerprint() + " → " + wanted.fingerprint(),
        context.user().username() + " changed the repository variable `" + variable + "` in " + client.repo() + " with /" + name
            + ".\nfrom " + before.described() + "\nto " + wanted.described() + "\nhost: " + before.host() + " → " + wanted.host(),
        "VariableChanged");
  }

  /**
   * Waits for a GitHub call until the command's deadline; past it the call is cancelled and reported as a timeout.
   *
   * @param unsure what to add to a timeout's message: for a write, that it may have happened
   */
  private static <T> T await(CommandContext context, CompletableFuture<T> call, String unsure)
      throws InterruptedException, GitHubException {
    CompletableFuture<T> registered = context.cancellation().register(call);
    try {
      return registered.get(context.deadline().remaining().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      registered.cancel(true);
      throw new GitHubException(GitHubException.Kind.TIMEOUT, "GitHub did not answer in time. " + unsure, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GitHubException gitHub) {
        throw gitHub;
      }
      throw new IllegalStateException("GitHub call failed unexpectedly", e.getCause());
    }
  }

  /**
   * What the variable held before the write, as far as it may be kept: recorded with the write's request, so that a
   * retried job can still say what changed after the value itself was replaced.
   */
  record Before(String described, String fingerprint, String host) {
    private static final String NOT_SET = "not set";

    static Before of(Optional<TargetValue> current) {
      return current.map(value -> new Before(value.described(), value.fingerprint(), value.host()))
          .orElse(new Before(NOT_SET, NOT_SET, NOT_SET));
    }

    String toJson() {
      return Jackson.text(Jackson.object().put("described", described).put("fingerprint", fingerprint).put("host", host));
    }

    static Before fromJson(String json) {
      JsonNode node;
      try {
        node = Jackson.parse(json);
      } catch (IOException e) {
        throw new IllegalStateException("recorded progress is not JSON", e);
      }
      return new Before(node.path("described").asText(NOT_SET), node.path("fingerprint").asText(NOT_SET),
          node.path("host").asText(NOT_SET));
    }
  }
}
