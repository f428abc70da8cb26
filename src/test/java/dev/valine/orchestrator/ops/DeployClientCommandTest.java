package dev.valine.orchestrator.ops;

import static dev.valine.orchestrator.ops.OpsFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.command.OptionType;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.secrets.SecretUnavailableException;
import dev.valine.orchestrator.secrets.TokenSource;
import dev.valine.orchestrator.testing.GitHubFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployClientCommandTest {
  private static final long RUN_ID = 9_000_000_042L;
  private static final String RUN_URL = "https://github.com/octo-org/deploy-service/actions/runs/" + RUN_ID;
  private static final String CORRELATION_ID = "valine-" + OpsFixture.INTERACTION_ID;

  private final OpsFixture ops = new OpsFixture();
  private LoopbackGitHub github;
  private DeployClientCommand command;

  @BeforeEach
  void start() throws Exception {
    github = new LoopbackGitHub();
    command = new DeployClientCommand(Optional.of(() -> github.client(ops.time)), github.apiBase(), false, ops.settings, ops.permissions,
        () -> ops.urls, ops.metrics, ops.time, ops.time);
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private static MockResponse run(String status, String conclusion, Duration took) {
    return GitHubFixtures.json(200, Jackson.text(GitHubFixtures.run(42, status, conclusion, NOW.plusSeconds(3), took)
        .put("event", "workflow_dispatch").put("display_title", "Deploy " + CORRELATION_ID)));
  }

  private InteractionResponse deploy(Map<String, String> options) throws Exception {
    return command.handle(ops.context(OpsFixture.byOperator("deploy-client", options)));
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return Jackson.parse(request.getBody().utf8());
  }

  private static String text(InteractionResponse response) {
    return response.content();
  }

  // --- who may

  @Test
  void definitionIsGuildOnlyWithTwoOptionalStringOptions() {
    CommandDefinition definition = command.definition();

    assertEquals("deploy-client", definition.name());
    assertTrue(definition.guildOnly());
    assertEquals(List.of("api_base", "ref"), definition.options().stream().map(OptionDefinition::name).toList());
    assertTrue(definition.options().stream().allMatch(option -> option.type() == OptionType.STRING && !option.required()));
    assertTrue(command.changesSomething());
    assertEquals(Optional.of(Duration.ofMinutes(14).plusSeconds(30)), command.runsFor());
  }

  @Test
  void refusesANonOperatorEphemerallyNamingTheVariablesThatGrantTheRight() throws Exception {
    Interaction byStranger = OpsFixture.interaction("deploy-client", OpsFixture.STRANGER, Optional.of(OpsFixture.GUILD), List.of(), Map.of());

    InteractionResponse answer = command.handle(ops.context(byStranger));

    assertTrue(answer.ephemeral());
    assertTrue(text(answer).contains("OPERATOR_USER_IDS") && text(answer).contains("OPERATOR_ROLE_IDS"), text(answer));
    assertFalse(command.changesSomething(byStranger), "so that the refusal can be answered inline, ephemeral");
    assertEquals(0, github.server.getRequestCount());
    assertEquals(List.of("deploy:refused"), ops.dispatchMetrics);
  }

  @Test
  void refusesInADirectMessageEvenAnOperator() throws Exception {
    Interaction inDm = OpsFixture.interaction("deploy-client", OpsFixture.OPERATOR, Optional.empty(), List.of(), Map.of());

    InteractionResponse answer = command.handle(ops.context(inDm));

    assertTrue(answer.ephemeral());
    assertTrue(text(answer).contains("server channel"), text(answer));
    assertEquals(0, github.server.getRequestCount());
  }

  @Test
  void aMemberOfAnOperatorRoleMayDeploy() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("completed", "success", Duration.ofSeconds(80)));
    Interaction byRole = OpsFixture.interaction("deploy-client", OpsFixture.STRANGER, Optional.of(OpsFixture.GUILD),
        List.of(OpsFixture.OPERATOR_ROLE), Map.of());

    InteractionResponse answer = command.handle(ops.context(byRole));

    assertTrue(command.changesSomething(byRole));
    assertTrue(text(answer).startsWith("✅"), text(answer));
    assertEquals(1, github.dispatchCount());
  }

  @Test
  void anAdminIsAnOperatorToo() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("completed", "success", Duration.ofSeconds(80)));
    Interaction byAdmin = OpsFixture.interaction("deploy-client", new dev.valine.orchestrator.discord.DiscordUser(OpsFixture.ADMIN, "cy"),
        Optional.of(OpsFixture.GUILD), List.of(), Map.of());

    command.handle(ops.context(byAdmin));

    assertEquals(1, github.dispatchCount());
  }

  @Test
  void withoutGitHubConfiguredSaysWhatToSet() throws Exception {
    DeployClientCommand unconfigured = new DeployClientCommand(Optional.empty(), "https://api.github.com", false, ops.settings,
        ops.permissions, () -> ops.urls, ops.metrics, ops.time, ops.time);

    InteractionResponse answer = unconfigured.handle(ops.context(OpsFixture.byOperator("deploy-client", Map.of())));

    assertTrue(text(answer).contains("GITHUB_REPO"), text(answer));
  }

  @Test
  void aDryRunChecksEverythingSaysWhatItWouldDispatchAndSendsNothing() throws Exception {
    DeployClientCommand dryRun = new DeployClientCommand(Optional.of(() -> github.client(ops.time)), github.apiBase(), true, ops.settings,
        ops.permissions, () -> ops.urls, ops.metrics, ops.time, ops.time);

    InteractionResponse answer = dryRun.handle(ops.context(OpsFixture.byOperator("deploy-client", Map.of("ref", "release/1.4"))));

    assertEquals(0, github.dispatchCount());
    assertTrue(text(answer).startsWith("Dry run (`DRY_RUN=true`): I would have dispatched `deploy.yml` on `release/1.4` with inputs "
        + "correlation_id, requester. Nothing was sent."), text(answer));
  }

  // --- dispatch and follow

  @Test
  void dispatchesOnceWithRunDetailsAndFollowsTheRunThroughItsStatesToItsConclusion() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(
        run("queued", null, Duration.ZERO), run("queued", null, Duration.ZERO), run("in_progress", null, Duration.ZERO),
        run("in_progress", null, Duration.ZERO), run("completed", "success", Duration.ofSeconds(192)));

    InteractionResponse answer = deploy(Map.of("api_base", "https://api.example.com/v1", "ref", "release/1.4"));

    assertEquals(1, github.dispatchCount());
    JsonNode sent = body(github.dispatches.get(0));
    assertEquals(Jackson.parse("{\"ref\":\"release/1.4\",\"inputs\":{\"correlation_id\":\"" + CORRELATION_ID + "\","
        + "\"requester\":\"ana (53908232506183680)\",\"api_base\":\"https://api.example.com/v1\"},\"return_run_details\":true}"), sent);
    assertEquals(3, ops.updates.size(), ops.updates.toString());
    assertTrue(ops.updates.get(0).startsWith("🚀 Dispatched **deploy.yml**"), ops.updates.get(0));
    assertTrue(ops.updates.get(1).contains("run #42 is queued"), ops.updates.get(1));
    assertTrue(ops.updates.get(2).contains("run #42 is in progress"), ops.updates.get(2));
    assertFalse(answer.ephemeral());
    assertTrue(text(answer).startsWith("✅ **deploy.yml** run #42 succeeded in 3m 12s on `main`."), text(answer));
    assertTrue(text(answer).contains("<" + RUN_URL + ">"), text(answer));
    assertEquals(List.of("deploy:dispatched"), ops.dispatchMetrics);
    assertEquals(List.of("deploy:success"), ops.followMetrics);
    assertTrue(ops.time.sleeps().stream().allMatch(Duration.ofSeconds(5)::equals), "polled every 5 s in the first minute");
  }

  @Test
  void eachStepIsInTheTrace() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("queued", null, Duration.ZERO),
        run("completed", "success", Duration.ofSeconds(60)));

    deploy(Map.of());

    assertEquals(List.of("dispatch deploy", "poll: queued", "poll: completed"), ops.steps());
    assertEquals(RUN_URL, ops.trace().snapshot().links().get("run"));
  }

  @Test
  void aFailedRunNamesItsFailedJobsAndSteps() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("completed", "failure", Duration.ofSeconds(65)))
        .jobs(GitHubFixtures.jobsPage(2,
            GitHubFixtures.job(1, "build", "success", GitHubFixtures.step(1, "Checkout", "success")),
            GitHubFixtures.job(2, "deploy", "failure", GitHubFixtures.step(1, "Checkout", "success"),
                GitHubFixtures.step(2, "Upload to S3", "failure"))));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.startsWith("❌ **deploy.yml** run #42 failed in 1m 05s"), answer);
    assertTrue(answer.contains("• **deploy** failed at Upload to S3"), answer);
    assertFalse(answer.contains("build"), answer);
    assertEquals(List.of("deploy:failure"), ops.followMetrics);
  }

  @Test
  void aServerThatRefusesTheNewFieldGetsItOnceWithoutAndTheRunIsFoundByItsCorrelationId() throws Exception {
    Instant created = NOW.plusSeconds(4);
    github.dispatchAnswers(GitHubFixtures.error(400, "Invalid request.\n\n\"return_run_details\" is not a permitted key."),
            GitHubFixtures.noContent())
        .searchAnswers(GitHubFixtures.runsPage(),
            GitHubFixtures.runsPage(GitHubFixtures.dispatchedRun(43, "Deploy valine-1300000000000000043", created.plusSeconds(1)),
                GitHubFixtures.dispatchedRun(42, "Deploy " + CORRELATION_ID, created)))
        .runStates(run("completed", "success", Duration.ofSeconds(30)));

    String answer = text(deploy(Map.of()));

    assertEquals(2, github.dispatchCount());
    assertTrue(body(github.dispatches.get(0)).has("return_run_details"));
    assertFalse(body(github.dispatches.get(1)).has("return_run_details"));
    assertEquals(2, github.searchCount());
    RecordedRequest search = github.searches.get(0);
    assertEquals("workflow_dispatch", search.getUrl().queryParameter("event"));
    assertEquals(">=2026-12-01T09:58:00Z", search.getUrl().queryParameter("created"), "since the dispatch, less clock skew");
    assertTrue(answer.contains("run #42 succeeded"), answer);
    assertTrue(ops.steps().containsAll(List.of("find run: not yet", "find run: found #42")), ops.steps().toString());
    assertEquals("🚀 Dispatched **deploy.yml**. Looking for its run (correlation id `" + CORRELATION_ID + "`)…", ops.updates.get(0),
        "the reply says what is happening while the run is looked for");
  }

  @Test
  void aRunThatNeverAppearsIsReportedWithTheLikelyCauseAndNotGuessed() throws Exception {
    github.dispatchAnswers(GitHubFixtures.noContent())
        .searchAnswers(GitHubFixtures.runsPage(GitHubFixtures.dispatchedRun(43, "Deploy something else", NOW.plusSeconds(2))));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.contains("no run named `" + CORRELATION_ID + "` appeared within 2 minutes"), answer);
    assertTrue(answer.contains("run-name"), answer);
    assertEquals(0, github.polls.get(), "the newest run is not taken for ours");
    assertEquals(1, github.dispatchCount());
    assertTrue(github.searchCount() >= 20 && github.searchCount() <= 25, "every 5 s for 2 minutes: " + github.searchCount());
    assertTrue(ops.time.sleeps().stream().allMatch(Duration.ofSeconds(5)::equals));
    assertEquals(List.of("deploy:not_found"), ops.followMetrics);
  }

  @Test
  void followingStopsAt14MinutesWithTheRunStillGoingAndItsLink() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("in_progress", null, Duration.ZERO));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.contains("is still in progress"), answer);
    assertTrue(answer.contains("<" + RUN_URL + ">"), answer);
    assertFalse(ops.time.instant().isAfter(NOW.plus(Duration.ofMinutes(14))), "stopped by 14 minutes: " + ops.time.instant());
    assertTrue(ops.time.instant().isAfter(NOW.plus(Duration.ofMinutes(13))), "followed until near 14 minutes: " + ops.time.instant());
    assertTrue(ops.time.sleeps().stream().allMatch(d -> d.equals(Duration.ofSeconds(5)) || d.equals(Duration.ofSeconds(15))));
    assertTrue(github.polls.get() <= 12 + 52 + 1, "within the polling budget: " + github.polls.get());
    // The state never changed after "in progress": refreshed about once a minute, not at every poll.
    assertTrue(ops.updates.size() >= 12 && ops.updates.size() <= 16, ops.updates.size() + " updates");
    assertEquals(List.of("deploy:still_running"), ops.followMetrics);
  }

  @Test
  void followingStopsEarlierWhenTheCommandsDeadlineLeavesNoTimeForAnotherPoll() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("queued", null, Duration.ZERO));
    Interaction interaction = OpsFixture.byOperator("deploy-client", Map.of());
    CommandContext base = ops.context(interaction);
    CommandContext shortLived = new CommandContext(interaction, base.user(),
        dev.valine.orchestrator.time.Deadline.of(NOW, Duration.ofMinutes(2), ops.time), base.trace(), base.alerts(),
        base.cancellation(), base.progress(), base.updates());

    String answer = text(command.handle(shortLived));

    assertTrue(answer.contains("is still queued"), answer);
    assertTrue(ops.time.instant().isBefore(NOW.plus(Duration.ofMinutes(2)).minus(DispatchAndFollow.LAST_EDIT)), ops.time.instant().toString());
  }

  @Test
  void afterSeveralFailedPollsInARowItSaysItLostTrackWithTheLink() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(GitHubFixtures.error(502, "Bad Gateway"));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.startsWith("⚠️ I lost track"), answer);
    assertTrue(answer.contains("<" + RUN_URL + ">"), answer);
    assertEquals(RunFollower.MAX_FAILED_POLLS, github.polls.get());
    assertTrue(ops.trace().snapshot().steps().stream().filter(step -> step.name().equals("poll: failed"))
        .allMatch(step -> step.status() == TraceStatus.ERROR));
  }

  @Test
  void aTransientPollFailureIsAFailedStepAndFollowingGoesOn() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(GitHubFixtures.error(502, "Bad Gateway"),
        run("completed", "success", Duration.ofSeconds(20)));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.startsWith("✅"), answer);
    assertEquals(List.of("dispatch deploy", "poll: failed", "poll: completed"), ops.steps());
  }

  // --- GitHub says no

  private void assertOneDispatchAlert(String errorType) {
    assertEquals(1, ops.alerts.size(), ops.alerts.toString());
    assertEquals("Workflow dispatch failed", ops.alerts.get(0).title());
    assertEquals(Severity.ERROR, ops.alerts.get(0).severity());
    assertEquals(Optional.of(errorType), ops.alerts.get(0).errorType());
  }

  @Test
  void anUnknownWorkflowNamesTheVariableToCheck() throws Exception {
    github.dispatchAnswers(GitHubFixtures.error(404, "Not Found"));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.startsWith("❌ Could not dispatch **deploy.yml**"), answer);
    assertTrue(answer.contains("HTTP 404") && answer.contains("`DEPLOY_WORKFLOW`"), answer);
    assertOneDispatchAlert("GitHub NOT_FOUND");
    assertEquals(List.of("deploy:failed"), ops.dispatchMetrics);
    assertEquals(0, github.searchCount(), "nothing started, nothing to look for");
  }

  @Test
  void undeclaredInputsAreNamedWithWhereToDeclareThem() throws Exception {
    github.dispatchAnswers(GitHubFixtures.error(422, "Unexpected inputs provided: [\"api_base\"]"));

    String answer = text(deploy(Map.of("api_base", "https://api.example.com")));

    assertTrue(answer.contains("HTTP 422"), answer);
    assertTrue(answer.contains("`correlation_id`, `requester`, `api_base`"), answer);
    assertTrue(answer.contains("workflow_dispatch"), answer);
    assertOneDispatchAlert("GitHub INVALID_REQUEST");
  }

  @Test
  void aTokenWithoutActionsWriteIsToldWhatPermissionItNeeds() throws Exception {
    github.dispatchAnswers(GitHubFixtures.error(403, "Resource not accessible by integration"));

    String answer = text(deploy(Map.of()));

    assertTrue(answer.contains("HTTP 403") && answer.contains("Actions \"Read and write\""), answer);
    assertOneDispatchAlert("GitHub FORBIDDEN");
  }

  @Test
  void aRateLimitSaysWhenToTryAgain() throws Exception {
    github.dispatchAnswers(new MockResponse.Builder().code(429).setHeader("retry-after", "120")
        .setHeader("Content-Type", "application/json").body("{\"message\":\"You have exceeded a secondary rate limit.\"}").build());

    String answer = text(deploy(Map.of()));

    assertTrue(answer.contains("rate limit"), answer);
    assertTrue(answer.contains("run the command again after 10:02:00 UTC"), answer);
    assertOneDispatchAlert("GitHub RATE_LIMITED");
  }

  @Test
  void aGitHubThatCannotBeReachedSaysNothingWasDispatchedNotThatItMayHaveStarted() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String unreachable = "http://127.0.0.1:" + closedPort + "/";
    DeployClientCommand offline = new DeployClientCommand(Optional.of(() -> new dev.valine.orchestrator.github.GitHubClient(
        new okhttp3.OkHttpClient(), unreachable, "octo-org/deploy-service", Optional.empty(), "test", ops.time)), unreachable, false,
        ops.settings, ops.permissions, () -> ops.urls, ops.metrics, ops.time, ops.time);
    CommandContext context = ops.context(OpsFixture.byOperator("deploy-client", Map.of()));

    String answer = text(offline.handle(context));

    assertTrue(answer.contains("Nothing was dispatched: the request never reached GitHub."), answer);
    assertFalse(answer.contains("may have started"), answer);
    assertEquals(List.of("deploy:failed"), ops.dispatchMetrics);
  }

  /** A 5xx after the dispatch was sent is no answer: the run it may have started is looked for, and followed when found. */
  @Test
  void aDispatchGitHubDidNotClearlyAnswerIsLookedForByItsCorrelationIdAndFollowed() throws Exception {
    github.dispatchAnswers(GitHubFixtures.error(502, "Bad Gateway"))
        .searchAnswers(GitHubFixtures.runsPage(GitHubFixtures.dispatchedRun(42, "Deploy " + CORRELATION_ID, NOW.plusSeconds(3))))
        .runStates(run("completed", "success", Duration.ofSeconds(40)));

    String answer = text(deploy(Map.of()));

    assertEquals(1, github.dispatchCount(), "never sent twice");
    assertTrue(ops.updates.get(0).startsWith("⏳ GitHub did not answer the dispatch of **deploy.yml** clearly; looking for a run"),
        ops.updates.toString());
    assertTrue(answer.contains("run #42 succeeded"), answer);
    assertEquals(List.of("deploy:uncertain"), ops.dispatchMetrics);
  }

  @Test
  void aServerErrorSaysTheWorkflowMayHaveStartedAndIsCountedUncertain() throws Exception {
    github.dispatchAnswers(GitHubFixtures.error(502, "Bad Gateway"));
    CommandContext context = ops.context(OpsFixture.byOperator("deploy-client", Map.of()));

    String answer = text(command.handle(context));

    assertTrue(answer.contains("may have started"), answer);
    assertEquals(List.of("deploy:uncertain"), ops.dispatchMetrics);
    assertOneDispatchAlert("GitHub SERVER_ERROR");
    assertTrue(context.progress().get("deploy_refused").isEmpty(), "a retry must look for the run, not repeat a refusal");
    assertEquals(1, github.dispatchCount(), "never sent twice");
  }

  // --- the token's secret cannot be read

  /** The GitHub token as a secret gives it: unreadable at the uses (counted from 1) that {@code unreadable} names. */
  private static TokenSource secretUnreadableAt(IntPredicate unreadable) {
    AtomicInteger uses = new AtomicInteger();
    return new TokenSource() {
      @Override
      public Optional<Secret> token() {
        if (unreadable.test(uses.incrementAndGet())) {
          throw new SecretUnavailableException("valine/test", "ThrottlingException", "Secrets Manager refused GetSecretValue");
        }
        return Optional.of(new Secret("fake-" + "ops-token"));
      }

      @Override
      public boolean renew(Secret rejected) {
        return false;
      }

      @Override
      public String origin() {
        return "secret valine/test (key githubToken)";
      }
    };
  }

  private InteractionResponse deployWithToken(TokenSource token, CommandContext context) throws Exception {
    DeployClientCommand withSecret = new DeployClientCommand(Optional.of(() -> new GitHubClient(new OkHttpClient(), github.apiBase(),
        LoopbackGitHub.REPO, token, "test", ops.time)), github.apiBase(), false, ops.settings, ops.permissions, () -> ops.urls,
        ops.metrics, ops.time, ops.time);
    return withSecret.handle(context);
  }

  @Test
  void aSecretThatCannotBeReadDispatchesNothingAndSaysWhatToDo() throws Exception {
    CommandContext context = ops.context(OpsFixture.byOperator("deploy-client", Map.of()));

    String answer = text(deployWithToken(secretUnreadableAt(use -> true), context));

    assertTrue(answer.startsWith("❌ Could not dispatch **deploy.yml**: I could not read my credentials (secret `valine/test`: "
        + "ThrottlingException)"), answer);
    assertTrue(answer.contains("RUNBOOK.md, \"Secret cannot be read\"") && answer.endsWith(" Nothing was dispatched."), answer);
    assertFalse(answer.contains("may have started"), answer);
    assertOneDispatchAlert("GitHub CREDENTIALS_UNAVAILABLE");
    assertEquals(List.of("deploy:failed"), ops.dispatchMetrics);
    assertEquals(0, github.server.getRequestCount());
    assertTrue(context.progress().get("deploy_refused").isPresent(), "nothing started: a retried job answers the same");
  }

  /** Unlike a token GitHub rejects, a secret that cannot be read may be readable at the next poll. */
  @Test
  void aSecretThatCannotBeReadForAMomentWhileFollowingIsAFailedPollAndFollowingGoesOn() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("completed", "success", Duration.ofSeconds(20)));

    String answer = text(deployWithToken(secretUnreadableAt(use -> use == 2 || use == 3),
        ops.context(OpsFixture.byOperator("deploy-client", Map.of()))));

    assertTrue(answer.startsWith("✅"), answer);
    assertEquals(List.of("dispatch deploy", "poll: failed", "poll: failed", "poll: completed"), ops.steps());
    assertEquals(1, github.polls.get(), "the failed polls sent nothing");
    assertEquals(List.of("deploy:success"), ops.followMetrics);
  }

  @Test
  void aSecretThatStaysUnreadableWhileFollowingLosesTrackAfterSeveralPollsNamingTheSecret() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID));

    String answer = text(deployWithToken(secretUnreadableAt(use -> use > 1), ops.context(OpsFixture.byOperator("deploy-client", Map.of()))));

    assertTrue(answer.startsWith("⚠️ I lost track"), answer);
    assertTrue(answer.contains("secret `valine/test`: ThrottlingException") && answer.contains("<" + RUN_URL + ">"), answer);
    assertEquals(RunFollower.MAX_FAILED_POLLS, ops.steps().stream().filter("poll: failed"::equals).count());
    assertEquals(0, github.polls.get());
    assertEquals(List.of("deploy:lost"), ops.followMetrics);
  }

  @Test
  void aSecretThatCannotBeReadForAMomentWhileLookingForTheRunIsAFailedSearchAndTheRunIsStillFound() throws Exception {
    github.dispatchAnswers(GitHubFixtures.noContent())
        .searchAnswers(GitHubFixtures.runsPage(GitHubFixtures.dispatchedRun(42, "Deploy " + CORRELATION_ID, NOW.plusSeconds(3))))
        .runStates(run("completed", "success", Duration.ofSeconds(30)));

    String answer = text(deployWithToken(secretUnreadableAt(use -> use == 2),
        ops.context(OpsFixture.byOperator("deploy-client", Map.of()))));

    assertTrue(answer.contains("run #42 succeeded"), answer);
    assertTrue(ops.steps().containsAll(List.of("find run: failed", "find run: found #42")), ops.steps().toString());
    assertEquals(1, github.dispatchCount(), "never dispatched again");
  }

  // --- URL rules and ref

  @Test
  void anApiBaseOverHttpIsRefusedAndNothingIsSent() throws Exception {
    InteractionResponse answer = deploy(Map.of("api_base", "http://api.example.com"));

    assertTrue(text(answer).startsWith("`api_base` is refused"), text(answer));
    assertTrue(text(answer).endsWith("Nothing was dispatched."), text(answer));
    assertEquals(0, github.server.getRequestCount());
    assertEquals(List.of("deploy:refused"), ops.dispatchMetrics);
    assertTrue(ops.alerts.isEmpty());
  }

  @Test
  void anApiBaseWithCredentialsIsRefusedWithoutRepeatingThem() throws Exception {
    InteractionResponse answer = deploy(Map.of("api_base", "https://deployer:" + "hunter2-fake" + "@api.example.com"));

    assertTrue(text(answer).startsWith("`api_base` is refused"), text(answer));
    assertFalse(text(answer).contains("hunter2"), text(answer));
    assertEquals(0, github.server.getRequestCount());
  }

  @Test
  void anApiBaseWhoseNameResolvesToLoopbackIsRefused() throws Exception {
    InteractionResponse answer = deploy(Map.of("api_base", "https://evil.example/api"));

    assertTrue(text(answer).startsWith("`api_base` is refused"), text(answer));
    assertEquals(0, github.server.getRequestCount());
  }

  @Test
  void aRefThatIsNoBranchOrTagNameIsRefused() throws Exception {
    InteractionResponse answer = deploy(Map.of("ref", "main..evil"));

    assertTrue(text(answer).startsWith("`ref` must be a branch or tag name"), text(answer));
    assertEquals(0, github.server.getRequestCount());
  }

  // --- at most once

  @Test
  void anAttemptThatFindsARunRecordedFollowsItAndDoesNotDispatchAgain() throws Exception {
    github.runStates(run("in_progress", null, Duration.ZERO), run("completed", "success", Duration.ofSeconds(70)));
    CommandContext resumed = ops.context(OpsFixture.byOperator("deploy-client", Map.of("api_base", "https://evil.example")),
        Map.of("deploy_requested_at", NOW.toString(), "deploy_run_id", Long.toString(RUN_ID), "deploy_run_url", RUN_URL));

    String answer = text(command.handle(resumed));

    assertEquals(0, github.dispatchCount());
    assertTrue(answer.startsWith("✅"), "inputs are not checked again once dispatched: " + answer);
    assertTrue(ops.trace().snapshot().steps().get(0).detail().orElse("").startsWith("not sent again"));
  }

  @Test
  void anAttemptThatFindsOnlyTheRequestRecordedLooksForTheRunInsteadOfDispatching() throws Exception {
    Instant requested = NOW.minusSeconds(40);
    github.searchAnswers(GitHubFixtures.runsPage(GitHubFixtures.dispatchedRun(42, "Deploy " + CORRELATION_ID, requested.plusSeconds(3))))
        .runStates(run("completed", "success", Duration.ofSeconds(30)));
    CommandContext resumed = ops.context(OpsFixture.byOperator("deploy-client", Map.of()),
        Map.of("deploy_requested_at", requested.toString()));

    String answer = text(command.handle(resumed));

    assertEquals(0, github.dispatchCount());
    assertEquals(">=2026-12-01T09:57:20Z", github.searches.get(0).getUrl().queryParameter("created"));
    assertTrue(answer.contains("run #42 succeeded"), answer);
    assertEquals(Optional.of(Long.toString(RUN_ID)), resumed.progress().get("deploy_run_id"), "recorded for a later attempt");
  }

  @Test
  void anAttemptThatFindsOnlyTheRequestAndNoRunSaysItMayHaveStartedAndDoesNotDispatch() throws Exception {
    CommandContext resumed = ops.context(OpsFixture.byOperator("deploy-client", Map.of()),
        Map.of("deploy_requested_at", NOW.toString()));

    String answer = text(command.handle(resumed));

    assertEquals(0, github.dispatchCount());
    assertTrue(answer.contains("I did not dispatch again"), answer);
    assertTrue(answer.contains("may still have started"), answer);
  }

  @Test
  void anAttemptThatFindsARefusalRecordedRepeatsItWithoutAskingGitHub() throws Exception {
    CommandContext resumed = ops.context(OpsFixture.byOperator("deploy-client", Map.of()),
        Map.of("deploy_requested_at", NOW.toString(), "deploy_refused", "❌ Could not dispatch **deploy.yml**: HTTP 404."));

    String answer = text(command.handle(resumed));

    assertEquals("❌ Could not dispatch **deploy.yml**: HTTP 404.", answer);
    assertEquals(0, github.server.getRequestCount());
  }

  @Test
  void theDispatchIsRecordedBeforeItIsSentAndTheRunAfter() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("completed", "success", Duration.ofSeconds(10)));
    CommandContext context = ops.context(OpsFixture.byOperator("deploy-client", Map.of()));

    command.handle(context);

    assertEquals(List.of("deploy_requested_at", "deploy_run_id", "deploy_run_url"),
        List.copyOf(context.progress().recorded().keySet()).stream().sorted().toList());
    assertEquals(NOW.toString(), context.progress().get("deploy_requested_at").orElseThrow());
  }

  @Test
  void theTraceRecordsEachPollOutcome() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(run("queued", null, Duration.ZERO),
        run("completed", "cancelled", Duration.ofSeconds(10)));

    String answer = text(deploy(Map.of()));

    List<TraceStep> steps = ops.trace().snapshot().steps();
    assertEquals(Optional.of("cancelled"), steps.get(steps.size() - 1).detail());
    assertTrue(answer.startsWith("⏹️"), answer);
  }
}
