package dev.valine.orchestrator.doctor;

import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.Repository;
import dev.valine.orchestrator.github.Workflow;
import dev.valine.orchestrator.time.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GitHub: the token reaches {@code GITHUB_REPO}; the workflows the settings name exist; the ones the bot dispatches
 * take {@code workflow_dispatch} with the inputs it sends, on the ref it dispatches; the token can read variables;
 * and the deploy targets in the repository variables pass the URL rules. Everything after the repository needs it,
 * so a token or repository that fails skips the rest.
 */
final class GitHubChecks implements Section {
  static final String REPOSITORY = "GitHub token and repository";
  static final String WORKFLOWS = "GitHub workflows";
  static final String VARIABLES = "GitHub variables";
  // Every dispatch sends these (the run is found by its correlation id); a workflow must declare them.
  private static final List<String> ALWAYS_SENT = List.of("correlation_id", "requester");

  /** A workflow the bot dispatches: the setting that names it, and the inputs its command's options add. */
  private record Dispatched(String setting, String workflow, String command, List<String> optional) {}

  private final Config config;
  private final Optional<GitHubClient> github;
  private final TargetCheck target;
  private final Clock clock;
  private final Duration budget;

  /** @param github empty when {@code GITHUB_REPO} is not set */
  GitHubChecks(Config config, Optional<GitHubClient> github, TargetCheck target, Clock clock, Duration budget) {
    this.config = config;
    this.github = github;
    this.target = target;
    this.clock = clock;
    this.budget = budget;
  }

  @Override
  public String title() {
    return "GitHub";
  }

  @Override
  public List<Check> run() throws InterruptedException {
    if (github.isEmpty()) {
      String reason = "GITHUB_REPO not set (/status and the ops actions need it)";
      return List.of(Check.skip(REPOSITORY, reason), Check.skip(WORKFLOWS, reason), Check.skip(VARIABLES, reason));
    }
    GitHubClient client = github.get();
    List<Check> checks = new ArrayList<>();
    Repository repository;
    try {
      repository = await(client.repository(deadline()));
    } catch (GitHubException e) {
      checks.add(repositoryFailure(client.repo(), e));
      String reason = "needs the repository (see " + REPOSITORY + ")";
      checks.add(Check.skip(WORKFLOWS, reason));
      checks.add(Check.skip(VARIABLES, reason));
      return checks;
    }
    String where = repository.fullName() + (repository.isPrivate() ? " (private" : " (public") + ", default branch "
        + repository.defaultBranch() + ")";
    if (config.githubToken().isPresent()) {
      checks.add(Check.pass(REPOSITORY, "GITHUB_TOKEN is accepted and reaches " + where + TokenOrigins.overridesNote(config, "githubToken")));
    } else {
      checks.add(Check.warn(REPOSITORY, "GITHUB_TOKEN not set" + TokenOrigins.secretNote(config, "githubToken", "GITHUB_TOKEN") + ": "
          + where + " is read anonymously here, which reaches public repositories only and at a low rate limit",
          "set GITHUB_TOKEN for dispatching, variables and a private repository"));
    }
    checks.addAll(workflowChecks(client));
    checks.addAll(variableChecks(client));
    return checks;
  }

  private static Check repositoryFailure(String repo, GitHubException e) {
    if (e.kind() == GitHubException.Kind.UNAUTHORIZED) {
      return Check.fail(REPOSITORY, "GitHub rejected GITHUB_TOKEN (HTTP 401): expired, revoked or mistyped",
          "create a token with access to " + repo + " (fine-grained: Actions read and write, Contents read, Variables read and write) "
              + "and put it in GITHUB_TOKEN");
    }
    if (e.kind() == GitHubException.Kind.NOT_FOUND) {
      return Check.fail(REPOSITORY, "GitHub finds no repository " + repo + " (HTTP 404): it does not exist, or the token cannot see it",
          "check GITHUB_REPO (owner/name); for a fine-grained token, add " + repo + " under Repository access");
    }
    return Check.fail(REPOSITORY, "could not read " + repo + ": " + e.getMessage(), "check GITHUB_API_BASE and the network, then run doctor again");
  }

  private List<Check> workflowChecks(GitHubClient client) throws InterruptedException {
    OpsSettings ops = config.ops();
    List<Dispatched> dispatched = List.of(
        new Dispatched("DEPLOY_WORKFLOW", ops.deployWorkflow(), "/deploy-client", List.of("api_base")),
        new Dispatched("DIAGNOSE_WORKFLOW", ops.diagnoseWorkflow(), "/diagnose", List.of("frontend_url", "api_base")));
    boolean anyoneDispatches = !(ops.operators().userIds().isEmpty() && ops.operators().roleIds().isEmpty()
        && ops.admins().userIds().isEmpty() && ops.admins().roleIds().isEmpty());
    List<Check> checks = new ArrayList<>();
    if (config.statusWorkflows().isEmpty() && !anyoneDispatches) {
      checks.add(Check.skip(WORKFLOWS, "STATUS_WORKFLOWS not set (/status shows the newest runs of all workflows), and nobody may "
          + "dispatch (OPERATOR_USER_IDS, OPERATOR_ROLE_IDS, ADMIN_USER_IDS, ADMIN_ROLE_IDS not set)"));
      return checks;
    }
    List<Workflow> workflows;
    try {
      workflows = await(client.workflows(deadline()));
    } catch (GitHubException e) {
      checks.add(Check.fail(WORKFLOWS, "could not list the workflows of " + client.repo() + ": " + e.getMessage(),
          "give the token read access to Actions on " + client.repo()));
      return checks;
    }
    String known = workflows.isEmpty() ? "none" : String.join(", ", workflows.stream().map(Workflow::name).toList());
    for (String name : config.statusWorkflows()) {
      String line = "GitHub workflow `" + name + "` (STATUS_WORKFLOWS)";
      checks.add(find(workflows, name)
          .map(workflow -> Check.pass(line, "is " + workflow.path() + (workflow.active() ? "" : ", " + workflow.state())))
          .orElseGet(() -> Check.fail(line, "no workflow of " + client.repo() + " has that name, file name or id; it has: " + known,
              "set STATUS_WORKFLOWS to names, file names or ids from that list")));
    }
    for (Dispatched one : dispatched) {
      String line = "GitHub workflow `" + one.workflow() + "` (" + one.setting() + ")";
      if (!anyoneDispatches) {
        checks.add(Check.skip(line, "nobody may dispatch it (OPERATOR_USER_IDS, OPERATOR_ROLE_IDS, ADMIN_USER_IDS, ADMIN_ROLE_IDS not set)"));
        continue;
      }
      Optional<Workflow> workflow = find(workflows, one.workflow());
      if (workflow.isEmpty()) {
        checks.add(Check.fail(line, "no workflow of " + client.repo() + " has that name, file name or id; it has: " + known,
            "set " + one.setting() + " to one of them, or add the workflow to the repository"));
        continue;
      }
      checks.add(dispatchable(client, line, one, workflow.get()));
    }
    return checks;
  }

  private static Optional<Workflow> find(List<Workflow> workflows, String name) {
    return workflows.stream().filter(workflow -> workflow.isNamed(name)).findFirst();
  }

  /** Whether a dispatch of the bot's would be accepted: the file on the dispatched ref, its trigger and its inputs. */
  private Check dispatchable(GitHubClient client, String line, Dispatched one, Workflow workflow) throws InterruptedException {
    String ref = config.ops().deployRef();
    if (!workflow.active()) {
      return Check.fail(line, workflow.path() + " is " + workflow.state() + ": GitHub refuses to dispatch it",
          "enable it: GitHub > Actions > " + workflow.name() + " > Enable workflow");
    }
    Optional<String> file;
    try {
      file = await(client.workflowFile(workflow.path(), ref, deadline()));
    } catch (GitHubException e) {
      return Check.fail(line, "could not read " + workflow.path() + ": " + e.getMessage(), "give the token Contents read access");
    }
    if (file.isEmpty()) {
      return Check.fail(line, workflow.path() + " is not on " + ref + " (DEPLOY_REF), the ref the bot dispatches",
          "merge the workflow into " + ref + ", or set DEPLOY_REF to a branch that has it");
    }
    Optional<DispatchTrigger> trigger;
    try {
      trigger = DispatchTrigger.of(file.get());
    } catch (IllegalArgumentException e) {
      return Check.fail(line, workflow.path() + " on " + ref + ": " + e.getMessage(), "fix the file's YAML");
    }
    if (trigger.isEmpty()) {
      return Check.fail(line, workflow.path() + " on " + ref + " has no workflow_dispatch trigger: " + one.command() + " cannot start it",
          "add to it: on: workflow_dispatch: inputs: " + String.join(", ", ALWAYS_SENT) + " (type: string)");
    }
    List<String> undeclared = ALWAYS_SENT.stream().filter(input -> !trigger.get().declares(input)).toList();
    if (!undeclared.isEmpty()) {
      return Check.fail(line, workflow.path() + " on " + ref + " does not declare the input" + (undeclared.size() == 1 ? " " : "s ")
          + String.join(", ", undeclared) + ", which every dispatch sends: GitHub refuses it (422 Unexpected inputs)",
          "declare under on: workflow_dispatch: inputs: " + String.join(", ", undeclared) + " (type: string, required: false)");
    }
    List<String> sent = new ArrayList<>(ALWAYS_SENT);
    sent.addAll(one.optional());
    List<String> unsendable = new ArrayList<>();
    trigger.get().inputs().forEach((name, input) -> {
      if (input.mustBeSent() && !sent.contains(name)) {
        unsendable.add(name);
      }
    });
    if (!unsendable.isEmpty()) {
      return Check.fail(line, workflow.path() + " on " + ref + " requires " + String.join(", ", unsendable)
          + " without a default, which the bot never sends: GitHub refuses every dispatch", "give them a default, or make them optional");
    }
    List<String> notes = new ArrayList<>();
    List<String> missingOptional = one.optional().stream().filter(input -> !trigger.get().declares(input)).toList();
    if (!missingOptional.isEmpty()) {
      notes.add("it does not declare " + String.join(", ", missingOptional) + ", so " + one.command() + " "
          + String.join(", ", missingOptional.stream().map(input -> input + ":").toList()) + " cannot be used");
    }
    List<String> requiredOptional = one.optional().stream()
        .filter(input -> trigger.get().declares(input) && trigger.get().inputs().get(input).mustBeSent()).toList();
    if (!requiredOptional.isEmpty()) {
      notes.add("it requires " + String.join(", ", requiredOptional) + ", so " + one.command() + " fails without that option");
    }
    if (!trigger.get().runName().map(name -> name.contains("inputs.correlation_id")).orElse(false)) {
      notes.add("its run-name does not show inputs.correlation_id, which GitHub Enterprise Server 3.20 and older needs to find the run");
    }
    String ok = workflow.path() + " on " + ref + " takes workflow_dispatch with " + String.join(", ", ALWAYS_SENT);
    if (notes.isEmpty()) {
      return Check.pass(line, ok);
    }
    return Check.warn(line, ok + "; but " + String.join("; ", notes), "declare the inputs under on: workflow_dispatch: inputs:"
        + " (type: string, required: false), and set run-name: ${{ inputs.correlation_id }}");
  }

  private List<Check> variableChecks(GitHubClient client) throws InterruptedException {
    if (config.githubToken().isEmpty()) {
      return List.of(Check.skip(VARIABLES, "GITHUB_TOKEN not set" + TokenOrigins.secretNote(config, "githubToken", "GITHUB_TOKEN")));
    }
    List<Check> checks = new ArrayList<>();
    try {
      long count = await(client.countVariables(deadline()));
      checks.add(Check.pass(VARIABLES, "the token can read the variables of " + client.repo() + " (" + count + ")"));
    } catch (GitHubException e) {
      checks.add(Check.fail(VARIABLES, "the token cannot read the variables of " + client.repo() + ": " + e.getMessage(),
          "give the token Variables \"Read-only\" (\"Read and write\" for /set-frontend and /set-api-base)"));
      return checks;
    }
    // Verification prefers these repository variables to the environment's bases.
    for (String name : List.of("FRONTEND_BASE_URL", "VITE_API_BASE")) {
      String line = "Deploy target " + name + " (repository variable)";
      try {
        Optional<String> value = await(client.variable(name, deadline()));
        checks.add(value.map(url -> target.check(line, "repository variable " + name, url))
            .orElseGet(() -> Check.skip(line, "not set in " + client.repo())));
      } catch (GitHubException e) {
        checks.add(Check.fail(line, "could not read it: " + e.getMessage(), "give the token Variables \"Read-only\""));
      }
    }
    return checks;
  }

  private Deadline deadline() {
    return Deadline.of(clock.instant(), budget, clock);
  }

  /** The call's result; its deadline ends it, and a little longer than that is waited in case it does not. */
  private <T> T await(CompletableFuture<T> call) throws GitHubException, InterruptedException {
    try {
      return call.get(budget.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GitHubException github) {
        throw github;
      }
      throw new GitHubException(GitHubException.Kind.BAD_RESPONSE, "unexpected failure: " + e.getCause().getClass().getSimpleName(), e.getCause());
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new GitHubException(GitHubException.Kind.TIMEOUT, "no answer within " + budget.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    }
  }
}
