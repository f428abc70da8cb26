package dev.valine.orchestrator.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.Cancellation;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.OptionType;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusDigestCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String WORKFLOWS = "/repos/octo-org/deploy-service/actions/workflows/";

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);
  // What GitHub answers per workflow file; a workflow without an entry gets an empty page.
  private final Map<String, Supplier<MockResponse>> answers = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        String workflow = path.substring(WORKFLOWS.length(), path.length() - "/runs".length());
        return answers.getOrDefault(workflow, GitHubFixtures::runsPage).get();
      }
    });
    github.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    github.close();
  }

  private Optional<Supplier<GitHubClient>> client() {
    GitHubClient client = new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", Optional.empty(),
        "test", time);
    return Optional.of(() -> client);
  }

  private StatusDigestCommand command(String... workflows) {
    return new StatusDigestCommand(service(workflows));
  }

  private DigestService service(String... workflows) {
    return new DigestService(client(), List.of(workflows), "prod", time);
  }

  private Deadline deadline() {
    return Deadline.of(NOW, Duration.ofSeconds(30), time);
  }

  private final ExecutionTrace trace = new ExecutionTrace("t-digest", "c-digest", "status-digest", "4242", Optional.of("33"),
      Optional.of("44"), time, new SecretRedactor());

  private CommandContext context(Optional<String> period, Deadline deadline) {
    List<CommandOption> options = period.map(p -> List.of(new CommandOption("period", OptionType.STRING.code(), p, List.of())))
        .orElse(List.of());
    DiscordUser user = new DiscordUser("4242", "ana");
    Interaction interaction = new Interaction("1", "2", InteractionType.APPLICATION_COMMAND, "fake-token", Optional.of("33"),
        Optional.of("44"), Optional.of(user), Optional.of("status-digest"), options, Optional.empty());
    return new CommandContext(interaction, user, deadline, trace, alerts::add, new Cancellation());
  }

  private CommandContext context(Optional<String> period) {
    return context(period, deadline());
  }

  private static ObjectNode run(long number, String conclusion, Duration ago, Duration took) {
    return GitHubFixtures.run(number, "completed", conclusion, NOW.minus(ago), took);
  }

  @Test
  void sumsUpTheDaysRunsOfEachWorkflow() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.runsPage(
        run(415, "success", Duration.ofHours(1), Duration.ofMinutes(2)),
        run(414, "timed_out", Duration.ofHours(2), Duration.ofMinutes(6)),
        run(413, "cancelled", Duration.ofHours(3), Duration.ofMinutes(20)),
        run(412, "failure", Duration.ofHours(4), Duration.ofMinutes(3)),
        run(411, "success", Duration.ofHours(5), Duration.ofMinutes(4)),
        run(410, "success", Duration.ofHours(6), Duration.ofMinutes(5))));
    answers.put("rollback.yml", GitHubFixtures::runsPage);

    InteractionResponse response = command("deploy.yml", "rollback.yml").handle(context(Optional.empty()));

    assertFalse(response.ephemeral());
    assertEquals("""
        **Daily digest** · `octo-org/deploy-service` · stage `prod`
        Completed runs created 2026-11-30 10:00 → 2026-12-01 10:00 UTC

        **deploy.yml**
        ❌ 6 runs: 3 passed, 2 failed, 1 cancelled or skipped · 60% success · median 4m 00s · slowest 6m 00s
        Newest failure: [#414](<https://github.com/octo-org/deploy-service/actions/runs/9000000414>) · 2 h ago

        **rollback.yml**
        ⚪ no completed runs""", response.content());
  }

  @Test
  void asksGitHubForTheDaysCompletedRunsByDefault() throws Exception {
    command("deploy.yml").handle(context(Optional.empty()));

    HttpUrl url = requests.get(0).getUrl();
    assertEquals(WORKFLOWS + "deploy.yml/runs", url.encodedPath());
    assertEquals("2026-11-30T10:00:00Z..2026-12-01T10:00:00Z", url.queryParameter("created"));
    assertEquals("completed", url.queryParameter("status"));
  }

  @Test
  void weeklyAsksForTheLastSevenDaysAndSaysSo() throws Exception {
    time.advance(Duration.ofMillis(750));

    InteractionResponse response = command("deploy.yml").handle(context(Optional.of("weekly")));

    assertEquals("2026-11-24T10:00:00Z..2026-12-01T10:00:00Z", requests.get(0).getUrl().queryParameter("created"),
        "whole seconds, the same window the header shows");
    assertTrue(response.content().startsWith("**Weekly digest** · `octo-org/deploy-service` · stage `prod`\n"
        + "Completed runs created 2026-11-24 10:00 → 2026-12-01 10:00 UTC\n"), response.content());
  }

  @Test
  void pagesUpToFiveHundredRunsAndSaysTheBoundWasReached() throws Exception {
    answers.put("nightly.yml", new Supplier<>() {
      private int page;

      @Override
      public MockResponse get() {
        int first = page++ * 100;
        return GitHubFixtures.runsPage(730, IntStream.range(first, first + 100)
            .mapToObj(i -> run(1000 - i, "success", Duration.ofMinutes(i + 1), Duration.ofSeconds(45))).toArray(ObjectNode[]::new));
      }
    });

    InteractionResponse response = command("nightly.yml").handle(context(Optional.empty()));

    assertEquals(5, requests.size(), "five pages of 100");
    assertEquals("5", requests.get(4).getUrl().queryParameter("page"));
    assertTrue(response.content().endsWith("\n✅ at least 500 runs (bound reached; the numbers cover the newest 500): 500 passed, "
        + "0 failed · 100% success · median 45s · slowest 45s"), response.content());
  }

  @Test
  void aWorkflowGitHubRefusesShowsWhyBesideTheOthers() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.runsPage(run(7, "success", Duration.ofHours(1), Duration.ofMinutes(2))));
    answers.put("secret.yml", () -> GitHubFixtures.error(403, "Resource not accessible by integration"));

    InteractionResponse response = command("deploy.yml", "secret.yml").handle(context(Optional.empty()));

    assertFalse(response.ephemeral());
    assertTrue(response.content().contains("\n\n**deploy.yml**\n✅ 1 run: 1 passed, 0 failed · 100% success"), response.content());
    assertTrue(response.content().endsWith("\n\n**secret.yml**\n⚠️ GitHub refused access to workflow `secret.yml` in "
        + "octo-org/deploy-service (HTTP 403). The token needs read access to Actions on that repository."), response.content());
    assertEquals(1, alerts.size(), "a token without access is the team's to fix");
    assertEquals(Severity.ERROR, alerts.get(0).severity());
    assertEquals("GitHub call failed", alerts.get(0).title());
  }

  @Test
  void aWorkflowGitHubDoesNotAnswerInTimeShowsWhyBesideTheOthers() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.runsPage(run(7, "success", Duration.ofHours(1), Duration.ofMinutes(2))));
    answers.put("slow.yml", () -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return GitHubFixtures.runsPage();
    });
    // A real budget, since the wait for the batch is real: the slow workflow (held on a latch) is given up when it runs
    // out. Long enough that the quick workflow's answer arrives first on a loaded machine; nothing asserts on time.
    Deadline shortBudget = Deadline.of(Instant.now(), Duration.ofSeconds(2), Clock.systemUTC());

    InteractionResponse response = command("deploy.yml", "slow.yml").handle(context(Optional.empty(), shortBudget));

    assertFalse(response.ephemeral());
    assertTrue(response.content().contains("\n\n**deploy.yml**\n✅ 1 run"), response.content());
    assertTrue(response.content().contains("\n\n**slow.yml**\n⚠️ GitHub did not answer"), response.content());
    assertTrue(alerts.isEmpty(), "a slow moment is not the team's to fix");
  }

  @Test
  void nothingFetchedIsToldOnlyToTheCaller() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.error(502, "Bad Gateway"));
    answers.put("build.yml", () -> GitHubFixtures.error(502, "Bad Gateway"));

    InteractionResponse response = command("deploy.yml", "build.yml").handle(context(Optional.empty()));

    assertTrue(response.ephemeral());
    assertEquals("GitHub is having trouble (HTTP 502). Try again in a minute.", response.content());
    assertEquals(TraceStatus.ERROR, trace.status());
  }

  @Test
  void nothingFetchedForDifferentReasonsListsEachWorkflow() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.error(502, "Bad Gateway"));
    answers.put("gone.yml", () -> GitHubFixtures.error(404, "Not Found"));

    InteractionResponse response = command("deploy.yml", "gone.yml").handle(context(Optional.empty()));

    assertTrue(response.ephemeral());
    assertEquals("I could not get any workflow's runs:\n"
        + "• `deploy.yml`: GitHub is having trouble (HTTP 502). Try again in a minute.\n"
        + "• `gone.yml`: GitHub found no workflow `gone.yml` in octo-org/deploy-service (HTTP 404). Check the name, or whether the "
        + "token can see the repository.", response.content());
  }

  @Test
  void twentyWorkflowsWithLongNamesFitOneMessage() throws Exception {
    List<String> workflows = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String workflow = "the-nightly-end-to-end-regression-suite-for-the-customer-facing-frontend-" + i + ".yml";
      workflows.add(workflow);
      answers.put(workflow, () -> GitHubFixtures.runsPage(
          run(900, "failure", Duration.ofHours(2), Duration.ofMinutes(3)),
          run(899, "success", Duration.ofHours(3), Duration.ofMinutes(2))));
    }

    InteractionResponse response = command(workflows.toArray(String[]::new)).handle(context(Optional.empty()));

    String text = response.content();
    assertTrue(text.length() <= MessageText.MAX_CONTENT, text.length() + " characters");
    assertFalse(text.contains(MessageText.TRUNCATION_MARKER), "fitted by the report, not cut by the response");
    long shown = text.lines().filter(line -> line.startsWith("❌ **")).count();
    assertTrue(text.endsWith("\n… and " + (20 - shown) + " more workflows (" + (20 - shown) + " with failures or not fetched)"), text);
    assertEquals(shown, text.split("\\(<https://github\\.com/octo-org/deploy-service/actions/runs/9000000900>\\)", -1).length - 1,
        "one whole link per line shown");
    assertEquals(20, requests.size(), "every workflow was fetched");
  }

  @Test
  void tracesAStepPerWorkflowAndLinksTheNewestFailure() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.runsPage(run(12, "failure", Duration.ofHours(1), Duration.ofMinutes(2))));
    answers.put("secret.yml", () -> GitHubFixtures.error(403, "Resource not accessible by integration"));

    command("deploy.yml", "secret.yml").handle(context(Optional.empty()));

    TraceRecord record = trace.snapshot();
    Map<String, TraceStep> steps = new HashMap<>();
    record.steps().forEach(step -> steps.put(step.name(), step));
    assertEquals(TraceStatus.OK, steps.get("github.runs-completed deploy.yml").status());
    assertEquals(Optional.of("1 run"), steps.get("github.runs-completed deploy.yml").detail());
    assertEquals(TraceStatus.ERROR, steps.get("github.runs-completed secret.yml").status());
    assertEquals(Optional.of("FORBIDDEN HTTP 403"), steps.get("github.runs-completed secret.yml").detail());
    assertEquals("https://github.com/octo-org/deploy-service/actions/runs/9000000012", record.links().get("deploy.yml newest failure"));
  }

  @Test
  void theScheduledDigestIsTheCommandsMessage() throws Exception {
    answers.put("deploy.yml", () -> GitHubFixtures.runsPage(
        run(12, "failure", Duration.ofHours(1), Duration.ofMinutes(2)),
        run(11, "success", Duration.ofHours(2), Duration.ofMinutes(3))));
    DigestService digests = service("deploy.yml", "rollback.yml");

    String scheduled = digests.render(DigestPeriod.DAILY, deadline());
    InteractionResponse asked = new StatusDigestCommand(digests).handle(context(Optional.of("daily")));

    assertEquals(asked.content(), scheduled);
  }

  @Test
  void theScheduledDigestSaysWhyNothingCouldBeFetched() {
    answers.put("deploy.yml", () -> GitHubFixtures.error(401, "Bad credentials"));

    DigestUnavailableException error = assertThrows(DigestUnavailableException.class,
        () -> service("deploy.yml").render(DigestPeriod.DAILY, deadline()));

    assertEquals("GitHub rejected our token (HTTP 401). An admin should check that GITHUB_TOKEN is set and not expired.",
        error.getMessage());
  }

  @Test
  void withoutGitHubItSaysWhatToConfigure() throws Exception {
    StatusDigestCommand command = new StatusDigestCommand(Optional.empty(), List.of("deploy.yml"), "prod", time);

    InteractionResponse response = command.handle(context(Optional.empty()));

    assertTrue(response.ephemeral());
    assertEquals("GitHub is not configured for this bot: set GITHUB_REPO (owner/name), GITHUB_TOKEN and STATUS_WORKFLOWS, then "
        + "redeploy.", response.content());
    assertThrows(DigestUnavailableException.class, () -> new DigestService(Optional.empty(), List.of("deploy.yml"), "prod", time)
        .render(DigestPeriod.DAILY, deadline()));
  }

  @Test
  void withoutStatusWorkflowsItAsksForThem() throws Exception {
    InteractionResponse response = command().handle(context(Optional.empty()));

    assertTrue(response.ephemeral());
    assertEquals("The digest sums up the workflows named in STATUS_WORKFLOWS, and none are set: set STATUS_WORKFLOWS "
        + "(comma-separated workflow files, ids or names, e.g. deploy.yml,Rollback), then redeploy.", response.content());
    assertEquals(0, requests.size());
  }

  @Test
  void refusesAPeriodItDoesNotKnow() throws Exception {
    InteractionResponse response = command("deploy.yml").handle(context(Optional.of("`monthly`")));

    assertTrue(response.ephemeral());
    assertEquals("`period` must be daily or weekly, got `'monthly'`.", response.content());
    assertEquals(0, requests.size());
  }

  @Test
  void offersDailyAndWeeklyAsThePeriodsChoices() throws Exception {
    JsonNode definition = Jackson.parse(Jackson.text(command("deploy.yml").definition().toJson()));

    assertEquals("status-digest", definition.path("name").asText());
    JsonNode period = definition.path("options").get(0);
    assertEquals("period", period.path("name").asText());
    assertEquals(OptionType.STRING.code(), period.path("type").asInt());
    assertFalse(period.path("required").asBoolean(), "daily by default");
    assertEquals(Jackson.parse("[{\"name\":\"daily\",\"value\":\"daily\"},{\"name\":\"weekly\",\"value\":\"weekly\"}]"),
        period.path("choices"));
  }

  @Test
  void isReadOnlyAndPublic() {
    StatusDigestCommand command = command("deploy.yml");

    assertFalse(command.changesSomething());
    assertFalse(command.ephemeral());
    assertFalse(command.alwaysDeferred());
  }
}
