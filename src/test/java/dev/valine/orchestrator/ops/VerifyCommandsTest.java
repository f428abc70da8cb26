package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.Cancellation;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.OptionType;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlPolicy;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two commands against loopback servers playing GitHub, the deployed frontend and the deployed API. Names
 * resolve through a fixed table, never real DNS; the URL rules are the real ones.
 */
class VerifyCommandsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:05:00Z");
  private static final String REPO = "/repos/octo-org/deploy-service";
  private static final String RUNS = REPO + "/actions/workflows/deploy.yml/runs";
  private static final long RUN_42 = 9_000_000_042L;
  private static final String OPERATOR = "53908232506183680";
  private static final String SOMEONE = "80351110224678912";

  private final MockWebServer github = new MockWebServer();
  private final MockWebServer frontend = new MockWebServer();
  private final MockWebServer api = new MockWebServer();
  private final Routes gitHubRoutes = new Routes();
  private final Routes frontendRoutes = new Routes();
  private final Routes apiRoutes = new Routes();
  private final FakeTime time = new FakeTime(NOW);
  private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
  private final Dns resolver = host -> {
    List<InetAddress> addresses = names.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host + " is not in the test's table");
    }
    return addresses;
  };
  private final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
  private final List<String> verifications = Collections.synchronizedList(new ArrayList<>());
  private final Metrics metrics = new Metrics() {
    @Override
    public void verification(String outcome) {
      verifications.add(outcome);
    }
  };
  private final AtomicInteger diagnoses = new AtomicInteger();
  private final List<Integer> gitHubCallsBeforeTheDiagnosis = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final DiagnoseStarter diagnose = context -> {
    diagnoses.incrementAndGet();
    gitHubCallsBeforeTheDiagnosis.add(gitHubRoutes.asked().size());
    return "🩺 Diagnosis started: https://github.com/octo-org/deploy-service/actions/runs/9000000077";
  };

  private boolean allowPrivateTargets = true;
  private Optional<String> frontendEnv = Optional.empty();
  private Optional<String> apiEnv = Optional.empty();
  private List<String> frontendPaths = List.of("/", "/index.html");
  private List<String> apiPaths = List.of("/health", "/hello");
  private ExecutionTrace trace;

  @BeforeEach
  void start() throws Exception {
    github.setDispatcher(gitHubRoutes);
    frontend.setDispatcher(frontendRoutes);
    api.setDispatcher(apiRoutes);
    github.start();
    frontend.start();
    api.start();
    names.put("app.test", List.of(frontend.getSocketAddress().getAddress()));
    names.put("api.test", List.of(api.getSocketAddress().getAddress()));
    names.put("evil.test", List.of(InetAddress.getByName("127.0.0.1")));
    // A deployed site that works: every path answers, entry pages revalidate.
    frontendRoutes.on("/", page("no-cache")).on("/index.html", page("no-cache"));
    apiRoutes.on("/health", json("{\"ok\":true}")).on("/hello", json("{\"hello\":\"world\"}"));
    variables(Optional.of(frontendBase()), Optional.of(apiBase()));
  }

  @AfterEach
  void stop() {
    github.close();
    frontend.close();
    api.close();
  }

  private String frontendBase() {
    return "http://app.test:" + frontend.getPort();
  }

  private String apiBase() {
    return "http://api.test:" + api.getPort() + "/";
  }

  private void variables(Optional<String> frontendValue, Optional<String> apiValue) {
    frontendValue.ifPresent(value -> gitHubRoutes.on(REPO + "/actions/variables/FRONTEND_BASE_URL",
        GitHubFixtures.variable("FRONTEND_BASE_URL", value)));
    apiValue.ifPresent(value -> gitHubRoutes.on(REPO + "/actions/variables/VITE_API_BASE", GitHubFixtures.variable("VITE_API_BASE", value)));
  }

  private void latestRun(String status, String conclusion) {
    gitHubRoutes.on(RUNS, GitHubFixtures.runsPage(GitHubFixtures.run(42, status, conclusion, NOW.minusSeconds(300), Duration.ofMinutes(3))));
  }

  private void run(long runNumber, String status, String conclusion) {
    gitHubRoutes.on(REPO + "/actions/runs/" + (9_000_000_000L + runNumber),
        GitHubFixtures.json(200, Jackson.text(GitHubFixtures.run(runNumber, status, conclusion, NOW.minusSeconds(300), Duration.ofMinutes(3)))));
  }

  private static MockResponse page(String cacheControl) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html; charset=utf-8")
        .setHeader("Cache-Control", cacheControl).body("<!doctype html><div id=app></div>").build();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("").build();
  }

  private OpsSettings settings() {
    OpsSettings.Grants operators = new OpsSettings.Grants(Set.of(OPERATOR), Set.of(), "OPERATOR_USER_IDS", "OPERATOR_ROLE_IDS");
    OpsSettings.Grants admins = new OpsSettings.Grants(Set.of(), Set.of(), "ADMIN_USER_IDS", "ADMIN_ROLE_IDS");
    return new OpsSettings("deploy.yml", "diagnose.yml", "main", operators, admins, false, frontendEnv, apiEnv, frontendPaths, apiPaths);
  }

  private Optional<java.util.function.Supplier<GitHubClient>> gitHub() {
    GitHubClient client = new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service",
        Optional.empty(), "test", time);
    return Optional.of(() -> client);
  }

  private SafeHttp safeHttp() {
    return new SafeHttp(new OkHttpClient(), new UrlPolicy(List.of(), allowPrivateTargets), resolver, 8_192, time);
  }

  private VerifyLatestCommand latest() {
    OpsSettings settings = settings();
    SafeHttp http = safeHttp();
    return new VerifyLatestCommand(gitHub(), "https://api.github.com", settings, Permissions.of(settings), () -> http, diagnose,
        Duration.ofSeconds(5), metrics, time);
  }

  private VerifyRunCommand byId() {
    SafeHttp http = safeHttp();
    return new VerifyRunCommand(gitHub(), settings(), () -> http, Duration.ofSeconds(5), metrics, time);
  }

  private static Interaction interaction(String command, String user, CommandOption... options) {
    return new Interaction("1300000000000000001", "1200000000000000000", InteractionType.APPLICATION_COMMAND, "fake-token",
        Optional.of("290926798626357999"), Optional.of("645027906669510667"), Optional.of(new DiscordUser(user, "mason")),
        Optional.of(command), List.of(options), Optional.empty());
  }

  private static CommandOption runUrl(String link) {
    return new CommandOption("run_url", OptionType.STRING.code(), link, List.of());
  }

  private static CommandOption diagnoseOption(boolean value) {
    return new CommandOption("diagnose", OptionType.BOOLEAN.code(), value, List.of());
  }

  private static CommandOption runId(long id) {
    return new CommandOption("run_id", OptionType.INTEGER.code(), id, List.of());
  }

  private CommandContext context(Interaction interaction) {
    trace = new ExecutionTrace("trace-1", interaction.id(), interaction.commandName().orElseThrow(), interaction.user().orElseThrow().id(),
        interaction.guildId(), interaction.channelId(), time, new SecretRedactor());
    return new CommandContext(interaction, interaction.user().orElseThrow(), Deadline.of(NOW, Duration.ofSeconds(60), time), trace,
        alerts::add, new Cancellation());
  }

  private InteractionResponse verifyLatest(CommandOption... options) throws Exception {
    return latest().handle(context(interaction(VerifyLatestCommand.NAME, SOMEONE, options)));
  }

  private InteractionResponse verifyRun(long id) throws Exception {
    return byId().handle(context(interaction(VerifyRunCommand.NAME, SOMEONE, runId(id))));
  }

  private static String line(InteractionResponse reply, String start) {
    return reply.content().lines().filter(line -> line.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with " + start + " in:\n" + reply.content()));
  }

  private List<String> stepNames() {
    return trace.snapshot().steps().stream().map(TraceStep::name).toList();
  }

  @Test
  void aSuccessfulRunWithEveryCheckPassingIsVerified() throws Exception {
    latestRun("completed", "success");

    InteractionResponse reply = verifyLatest();

    assertFalse(reply.ephemeral(), "the team sees the verdict");
    assertTrue(reply.content().startsWith("✅ **Deploy verified** · run [#42](<https://github.com/octo-org/deploy-service/actions/runs/"
        + RUN_42 + ">) succeeded · 4 checks passed"), reply.content());
    assertTrue(line(reply, "✅ `/index.html`").startsWith("✅ `/index.html` 200 · 0 ms"), reply.content());
    assertTrue(line(reply, "✅ `/health`").startsWith("✅ `/health` 200"), reply.content());
    assertTrue(line(reply, "**Frontend**").contains("from repository variable `FRONTEND_BASE_URL`"), reply.content());
    assertFalse(reply.content().contains("⚠️"), reply.content());
    assertEquals(List.of(), alerts);
    assertEquals(List.of("passed"), verifications);
    assertEquals(0, gitHubRoutes.count(REPO + "/actions/runs/" + RUN_42 + "/jobs"), "a successful run's jobs are not listed");
  }

  @Test
  void verifyLatestTakesTheNewestRunOfTheDeployWorkflow() throws Exception {
    latestRun("completed", "success");

    verifyLatest();

    assertEquals(List.of(RUNS + "?per_page=1&exclude_pull_requests=true"),
        gitHubRoutes.asked().stream().filter(path -> path.startsWith(RUNS)).toList());
    assertEquals("https://github.com/octo-org/deploy-service/actions/runs/" + RUN_42, trace.snapshot().links().get("Run #42"));
  }

  @Test
  void everyStepIsInTheTrace() throws Exception {
    latestRun("completed", "success");

    verifyLatest();

    assertTrue(stepNames().containsAll(List.of("github.runs deploy.yml", "github.variable FRONTEND_BASE_URL",
        "github.variable VITE_API_BASE", "check frontend /", "check frontend /index.html", "check api /health", "check api /hello",
        "verdict")), stepNames().toString());
    TraceStep check = trace.snapshot().steps().stream().filter(step -> step.name().equals("check api /health")).findFirst().orElseThrow();
    assertEquals(TraceStatus.OK, check.status());
    assertEquals(Optional.of("HTTP 200 in 0 ms"), check.detail());
  }

  @Test
  void aFailedRunFailsNamingItsFailedJobsAndSteps() throws Exception {
    run(42, "completed", "failure");
    gitHubRoutes.on(REPO + "/actions/runs/" + RUN_42 + "/jobs", GitHubFixtures.jobsPage(2,
        GitHubFixtures.job(501, "build", "success", GitHubFixtures.step(1, "Checkout", "success")),
        GitHubFixtures.job(502, "deploy", "failure", GitHubFixtures.step(1, "Checkout", "success"),
            GitHubFixtures.step(2, "Upload to S3", "failure"), GitHubFixtures.step(3, "Invalidate CDN", "skipped"))));

    InteractionResponse reply = verifyRun(RUN_42);

    assertTrue(reply.content().startsWith("❌ **Deploy verification failed** · run [#42]"), reply.content());
    assertTrue(reply.content().lines().findFirst().orElseThrow().contains(" concluded failure · 4 checks passed"), reply.content());
    assertTrue(line(reply, "❌ job").startsWith("❌ job `deploy` › `Upload to S3`"), reply.content());
    assertFalse(reply.content().contains("`build`"), "jobs that passed are not listed");
    assertEquals(1, alerts.size());
    Alert alert = alerts.get(0);
    assertEquals(Severity.ERROR, alert.severity());
    assertEquals("Deploy verification failed", alert.title());
    assertEquals(Optional.of("VerificationFailed"), alert.errorType());
    assertTrue(alert.detail().contains("`Upload to S3`"), alert.detail());
    assertEquals("https://github.com/octo-org/deploy-service/actions/runs/" + RUN_42, alert.links().get("Run #42"));
    assertEquals(List.of("failed"), verifications);
    assertTrue(stepNames().contains("github.jobs " + RUN_42), stepNames().toString());
  }

  @Test
  void aFiveHundredThatSucceedsOnRetryPasses() throws Exception {
    latestRun("completed", "success");
    frontendRoutes.on("/index.html", status(502), page("no-cache"));

    InteractionResponse reply = verifyLatest();

    assertTrue(reply.content().startsWith("✅"), reply.content());
    assertTrue(line(reply, "✅ `/index.html`").endsWith("· retried after HTTP 502"), reply.content());
    assertEquals(2, frontendRoutes.count("/index.html"));
    assertEquals(1, frontendRoutes.count("/"), "a path that answered is not asked again");
    assertEquals(List.of("passed"), verifications);
  }

  @Test
  void anApiThatIsDownFailsTheVerification() throws Exception {
    latestRun("completed", "success");
    api.close();

    InteractionResponse reply = verifyLatest();

    assertTrue(reply.content().startsWith("❌ **Deploy verification failed**"), reply.content());
    assertTrue(reply.content().lines().findFirst().orElseThrow().endsWith("2 of 4 checks failed"), reply.content());
    String health = line(reply, "❌ `/health`");
    assertTrue(health.contains("Could not reach api.test"), health);
    assertTrue(health.endsWith("retried after could not connect"), health);
    assertEquals(1, alerts.size());
    assertTrue(alerts.get(0).detail().contains("❌ `/health`"), alerts.get(0).detail());
    assertEquals(List.of("failed"), verifications);
  }

  @Test
  void anIndexPageCachedForAnHourIsFlagged() throws Exception {
    latestRun("completed", "success");
    frontendRoutes.on("/index.html", page("public, max-age=3600"));

    InteractionResponse reply = verifyLatest();

    String warning = line(reply, "⚠️ `/index.html`");
    assertTrue(warning.contains("`Cache-Control: public, max-age=3600`"), warning);
    assertFalse(reply.content().contains("⚠️ `/` "), "the root revalidates: " + reply.content());
    assertTrue(reply.content().startsWith("✅"), "a warning does not fail the deploy: " + reply.content());
  }

  @Test
  void aRepositoryVariableWinsOverTheEnvironment() throws Exception {
    latestRun("completed", "success");
    frontendEnv = Optional.of("http://elsewhere.test:1");

    InteractionResponse reply = verifyLatest();

    assertTrue(line(reply, "**Frontend**").startsWith("**Frontend** `http://app.test:" + frontend.getPort() + "/` · from repository "
        + "variable `FRONTEND_BASE_URL`"), reply.content());
    assertEquals(2, frontend.getRequestCount());
  }

  @Test
  void anUnsetVariableFallsBackToTheEnvironment() throws Exception {
    latestRun("completed", "success");
    gitHubRoutes.on(REPO + "/actions/variables/VITE_API_BASE", GitHubFixtures.error(404, "Not Found"));
    apiEnv = Optional.of(apiBase());

    InteractionResponse reply = verifyLatest();

    assertTrue(line(reply, "**API**").contains("from environment `API_BASE_URL`; repository variable `VITE_API_BASE` unset"),
        reply.content());
    assertTrue(reply.content().startsWith("✅"), reply.content());
  }

  @Test
  void anUnreadableVariableFallsBackToTheEnvironmentAndSaysSo() throws Exception {
    latestRun("completed", "success");
    gitHubRoutes.on(REPO + "/actions/variables/FRONTEND_BASE_URL", GitHubFixtures.error(403, "Resource not accessible by integration"));
    frontendEnv = Optional.of(frontendBase());

    InteractionResponse reply = verifyLatest();

    String heading = line(reply, "**Frontend**");
    assertTrue(heading.contains("from environment `FRONTEND_BASE_URL`; repository variable `FRONTEND_BASE_URL` unreadable: "), heading);
    assertTrue(heading.contains("403"), heading);
    assertEquals(2, frontend.getRequestCount());
    assertTrue(reply.content().startsWith("✅"), reply.content());
  }

  @Test
  void aTargetSetNowhereIsReportedButDoesNotFailTheDeploy() throws Exception {
    latestRun("completed", "success");
    gitHubRoutes.on(REPO + "/actions/variables/VITE_API_BASE", GitHubFixtures.error(404, "Not Found"));

    InteractionResponse reply = verifyLatest();

    assertTrue(line(reply, "**API**").startsWith("**API** ⚠️ not configured (repository variable `VITE_API_BASE` unset): set the "
        + "repository variable `VITE_API_BASE` or the bot's `API_BASE_URL`; nothing was checked there"), reply.content());
    assertTrue(reply.content().startsWith("✅"), reply.content());
    assertEquals(0, api.getRequestCount());
  }

  @Test
  void aVariableThatIsNotAUrlFailsWithoutEchoingIt() throws Exception {
    latestRun("completed", "success");
    variables(Optional.of("app.example.com?token=fake-token"), Optional.empty());

    InteractionResponse reply = verifyLatest();

    assertTrue(line(reply, "**Frontend**").startsWith("**Frontend** ❌ repository variable `FRONTEND_BASE_URL` is not a full http(s) URL"),
        reply.content());
    assertFalse(reply.content().contains("fake-token"), reply.content());
    assertTrue(reply.content().startsWith("❌"), reply.content());
    assertEquals(0, frontend.getRequestCount());
  }

  @Test
  void aBaseThatResolvesToLoopbackIsRefusedWhenPrivateTargetsAreNotAllowed() throws Exception {
    allowPrivateTargets = false;
    latestRun("completed", "success");
    variables(Optional.of("https://evil.test"), Optional.empty());
    gitHubRoutes.on(REPO + "/actions/variables/VITE_API_BASE", GitHubFixtures.error(404, "Not Found"));

    InteractionResponse reply = verifyLatest();

    String root = line(reply, "❌ `/`");
    assertTrue(root.contains("evil.test resolves to 127.0.0.1, a loopback address"), root);
    assertFalse(root.contains("retried"), "a refusal is not retried: " + root);
    assertTrue(reply.content().startsWith("❌"), reply.content());
    assertEquals(0, frontend.getRequestCount());
  }

  @Test
  void aRedirectToTheMetadataAddressIsRefused() throws Exception {
    latestRun("completed", "success");
    frontendRoutes.on("/index.html", new MockResponse.Builder().code(302)
        .setHeader("Location", "http://169.254.169.254/latest/meta-data/").build());

    InteractionResponse reply = verifyLatest();

    String index = line(reply, "❌ `/index.html`");
    assertTrue(index.contains("redirected to a URL the bot will not fetch"), index);
    assertTrue(index.contains("link-local"), index);
    assertEquals(1, frontendRoutes.count("/index.html"), "refused before a second request, and not retried");
    assertEquals(1, alerts.size());
  }

  @Test
  void aRunLinkOfAnotherRepositoryIsRefusedBeforeAnythingIsFetched() throws Exception {
    InteractionResponse reply = verifyLatest(runUrl("https://github.com/octo-org/other-service/actions/runs/42"));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().contains("another repository"), reply.content());
    assertNothingFetched();
  }

  @Test
  void aRunLinkOnAnotherHostOrToAnotherPageIsRefused() throws Exception {
    InteractionResponse otherHost = verifyLatest(runUrl("https://github.example.net/octo-org/deploy-service/actions/runs/42"));
    InteractionResponse notARun = verifyLatest(runUrl("https://github.com/octo-org/deploy-service/pull/42"));

    assertTrue(otherHost.ephemeral() && otherHost.content().startsWith("That link is not on github.com"), otherHost.content());
    assertTrue(notARun.ephemeral() && notARun.content().startsWith("That is not a link to a workflow run."), notARun.content());
    assertNothingFetched();
  }

  @Test
  void aRunLinkOfThisRepositoryVerifiesThatRun() throws Exception {
    run(41, "completed", "success");

    InteractionResponse reply = verifyLatest(runUrl("https://github.com/Octo-Org/deploy-service/actions/runs/9000000041/attempts/1"));

    assertTrue(reply.content().startsWith("✅ **Deploy verified** · run [#41]"), reply.content());
    assertEquals(0, gitHubRoutes.count(RUNS), "the newest run is not looked up");
  }

  @Test
  void anUnknownRunIdGetsAClearAnswer() throws Exception {
    InteractionResponse reply = verifyRun(123);

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("There is no run 123 in `octo-org/deploy-service` (GitHub answered 404)."), reply.content());
    assertEquals(List.of(), alerts);
    assertEquals(List.of("error"), verifications);
  }

  @Test
  void aDeployWorkflowWithoutRunsHasNothingToVerify() throws Exception {
    gitHubRoutes.on(RUNS, GitHubFixtures.runsPage());

    InteractionResponse reply = verifyLatest();

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("The workflow `deploy.yml` has no runs in `octo-org/deploy-service` yet"), reply.content());
  }

  @Test
  void aRunStillGoingIsNotJudged() throws Exception {
    latestRun("in_progress", null);

    InteractionResponse reply = verifyLatest();

    assertTrue(reply.content().startsWith("⏳ **Deploy not finished** · run [#42]"), reply.content());
    assertTrue(reply.content().lines().findFirst().orElseThrow().contains("is in progress: verify again when it ends"), reply.content());
    assertEquals(List.of(), alerts);
    assertEquals(List.of("error"), verifications);
  }

  @Test
  void gitHubFailingToShowTheRunLeavesTheDeployUnverified() throws Exception {
    gitHubRoutes.on(REPO + "/actions/runs/" + RUN_42, GitHubFixtures.error(500, "Server Error"));

    InteractionResponse reply = verifyRun(RUN_42);

    assertTrue(reply.content().startsWith("⚠️ **Deploy not verified** · the run could not be read · 4 checks passed"), reply.content());
    assertEquals(List.of("GitHub call failed"), alerts.stream().map(Alert::title).toList());
    assertEquals(List.of("error"), verifications);
  }

  @Test
  void diagnoseFromSomeoneWhoIsNotAnOperatorIsRefusedWhole() throws Exception {
    InteractionResponse reply = verifyLatest(diagnoseOption(true));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("Only operators may run a diagnosis"), reply.content());
    assertTrue(reply.content().contains("OPERATOR_USER_IDS"), reply.content());
    assertEquals(0, diagnoses.get());
    assertNothingFetched();
  }

  @Test
  void diagnoseFromAnOperatorStartsTheDiagnosisOnceAndShowsItsLine() throws Exception {
    latestRun("completed", "success");

    InteractionResponse reply = latest().handle(context(interaction(VerifyLatestCommand.NAME, OPERATOR, diagnoseOption(true))));

    assertEquals(1, diagnoses.get());
    assertEquals(List.of(0), gitHubCallsBeforeTheDiagnosis, "started before the verification, which must not use up its time");
    assertTrue(reply.content().startsWith("✅"), reply.content());
    assertTrue(reply.content().endsWith("\n🩺 Diagnosis started: https://github.com/octo-org/deploy-service/actions/runs/9000000077"),
        reply.content());
  }

  @Test
  void onlyDiagnoseTrueChangesSomething() {
    VerifyLatestCommand command = latest();

    assertTrue(command.changesSomething(interaction(VerifyLatestCommand.NAME, OPERATOR, diagnoseOption(true))));
    assertFalse(command.changesSomething(interaction(VerifyLatestCommand.NAME, OPERATOR, diagnoseOption(false))));
    assertFalse(command.changesSomething(interaction(VerifyLatestCommand.NAME, "100000000000000009", diagnoseOption(true))),
        "someone who may not dispatch is refused inline, ephemeral, with nothing claimed");
    assertFalse(command.changesSomething(interaction(VerifyLatestCommand.NAME, OPERATOR)));
    assertFalse(command.changesSomething(), "the command as a whole only reads");
    assertFalse(byId().changesSomething(interaction(VerifyRunCommand.NAME, OPERATOR, runId(42))));
  }

  @Test
  void manyPassingPathsAreSummarisedToFitOneMessage() throws Exception {
    latestRun("completed", "success");
    manyPaths();
    frontendRoutes.otherwise(json("{}"));
    apiRoutes.otherwise(json("{}"));

    InteractionResponse reply = verifyLatest();

    assertTrue(reply.content().length() <= 2_000, reply.content().length() + " chars");
    assertFalse(reply.content().contains("(truncated)"), "fitted by the report, not cut by the response");
    assertTrue(reply.content().startsWith("✅ **Deploy verified**"), reply.content());
    assertTrue(reply.content().contains("⚠️ 25 more paths not checked: the bot checks 15 per target"), reply.content());
    assertEquals(15, frontend.getRequestCount());
  }

  @Test
  void manyFailingPathsAreCutToFitOneMessage() throws Exception {
    latestRun("completed", "success");
    manyPaths();

    InteractionResponse reply = verifyLatest();

    assertTrue(reply.content().length() <= 2_000, reply.content().length() + " chars");
    assertFalse(reply.content().contains("(truncated)"), "fitted by the report, not cut by the response");
    assertTrue(reply.content().startsWith("❌ **Deploy verification failed** · run [#42]"), "the verdict is always shown");
    assertTrue(reply.content().contains("more lines not shown"), "says that lines were left out: " + reply.content());
    assertEquals(15, frontend.getRequestCount(), "15 paths checked; a 404 is not retried");
  }

  private void manyPaths() {
    frontendPaths = IntStream.rangeClosed(1, 40).mapToObj(i -> "/a-rather-long-path-name-for-a-page/number-" + i).toList();
    apiPaths = IntStream.rangeClosed(1, 40).mapToObj(i -> "/api/v1/some-endpoint-that-is-checked/" + i).toList();
  }

  @Test
  void withoutGitHubBothCommandsSaySoOnly() throws Exception {
    OpsSettings settings = settings();
    SafeHttp http = safeHttp();
    VerifyLatestCommand latest = new VerifyLatestCommand(Optional.empty(), "https://api.github.com", settings, Permissions.of(settings),
        () -> http, diagnose, metrics, time);
    VerifyRunCommand byId = new VerifyRunCommand(Optional.empty(), settings, () -> http, metrics, time);

    InteractionResponse fromLatest = latest.handle(context(interaction(VerifyLatestCommand.NAME, SOMEONE)));
    InteractionResponse fromRun = byId.handle(context(interaction(VerifyRunCommand.NAME, SOMEONE, runId(42))));

    assertTrue(fromLatest.ephemeral() && fromLatest.content().startsWith("GitHub is not configured for this bot: set `GITHUB_REPO`"));
    assertEquals(fromLatest.content(), fromRun.content());
  }

  @Test
  void aGivenUpAttemptReportsNothing() throws Exception {
    latestRun("completed", "failure");
    CommandContext context = context(interaction(VerifyLatestCommand.NAME, SOMEONE));
    context.cancellation().cancel();

    assertThrows(InterruptedException.class, () -> latest().handle(context));

    assertEquals(List.of(), alerts);
    assertEquals(List.of(), verifications);
  }

  @Test
  void definitionsDeclareTheOptionsWithTheirTypes() {
    var latestOptions = latest().definition().options();
    var runOptions = byId().definition().options();

    assertEquals("verify-latest", latest().definition().name());
    assertEquals(List.of("run_url:STRING:false", "diagnose:BOOLEAN:false"),
        latestOptions.stream().map(o -> o.name() + ":" + o.type() + ":" + o.required()).collect(Collectors.toList()));
    assertEquals("verify-run", byId().definition().name());
    assertEquals(List.of("run_id:INTEGER:true"), runOptions.stream().map(o -> o.name() + ":" + o.type() + ":" + o.required()).toList());
    assertEquals(Optional.of(1L), runOptions.get(0).minValue());
  }

  private void assertNothingFetched() {
    assertEquals(0, github.getRequestCount(), gitHubRoutes.asked().toString());
    assertEquals(0, frontend.getRequestCount());
    assertEquals(0, api.getRequestCount());
  }
}
