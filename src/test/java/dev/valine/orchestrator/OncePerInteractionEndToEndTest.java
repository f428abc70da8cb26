package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.testing.DispatchingCommand;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.Handlers;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Once per interaction, end to end: signed requests and job events through the real handler of one or
 * more "containers" (apps) sharing a table on dynalite, GitHub and Discord on loopback. A command that
 * changes something ({@link DispatchingCommand}) dispatches a workflow on the GitHub stand-in, which counts
 * the dispatches.
 */
@ExtendWith(WarmAwsSdk.class)
class OncePerInteractionEndToEndTest {
  private static final String RUN_ID = "9000000042";
  private static final String LOADING_REPLY = "{\"id\":\"1400000000000000001\",\"flags\":128,\"content\":\"\"}";
  // The table's client gets time to spare: a busy machine must not turn a claim into a "table failing" refusal.
  private static final CallLimits TIME_TO_SPARE = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private final FakeTime time = new FakeTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final Signer signer = new Signer(time);
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  private final AtomicInteger dispatches = new AtomicInteger();
  private final AtomicInteger statusCalls = new AtomicInteger();
  private final List<String> edits = new CopyOnWriteArrayList<>();
  private final List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
  private String table;

  @BeforeEach
  void start() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.endsWith("/dispatches")) {
          dispatches.incrementAndGet();
          return GitHubFixtures.json(200, "{\"workflow_run_id\":" + RUN_ID + ",\"run_url\":\"x\",\"html_url\":\"y\"}");
        }
        if (path.endsWith("/runs/" + RUN_ID)) {
          return GitHubFixtures.json(200, "{\"id\":" + RUN_ID + ",\"status\":\"completed\",\"conclusion\":\"success\"}");
        }
        statusCalls.incrementAndGet();
        return GitHubFixtures.runsPage(GitHubFixtures.run(5, "completed", "success", Instant.now(), Duration.ofSeconds(42)));
      }
    });
    discord.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if ("PATCH".equals(request.getMethod())) {
          edits.add(request.getBody().utf8());
          return GitHubFixtures.json(200, LOADING_REPLY.replace("128", "0"));
        }
        return GitHubFixtures.json(200, LOADING_REPLY);
      }
    });
    github.start();
    discord.start();
    table = Dynalite.uniqueTable("once");
  }

  @AfterEach
  void stop() {
    github.close();
    discord.close();
  }

  /** A container: the real app, with the test's command that changes something, its jobs captured as Lambda would queue them. */
  private App container(Optional<String> stateTable, Clock clock, DispatchingCommand.AfterDispatch afterDispatch) {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service",
        "GITHUB_TOKEN", TestApps.fakeGitHubToken(), "STATUS_WORKFLOWS", "deploy.yml",
        "DISCORD_API_BASE", discord.url("/api/v10").toString()));
    stateTable.ifPresent(name -> env.put("TRACE_TABLE_NAME", name));
    App app = new App(TestApps.config(signer, env), clock, App.defaultTracing(Map.of()), runner -> jobs::add,
        new AwsEnvironment(dynalite.environment()), Metrics.NONE, TIME_TO_SPARE,
        List.of(new DispatchingCommand(github.url("/"), afterDispatch)));
    try {
      app.ensureStateTable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    // As in Lambda after SnapStart priming: the table's client is built and has read once.
    app.prime();
    return app;
  }

  private App container() {
    return container(Optional.of(table), time, () -> { });
  }

  private byte[] request(String command) {
    return Jackson.bytes(signer.httpApiEvent(Jackson.bytes(interactions.command(command, Optional.empty(), Map.of())), false));
  }



  private static String job(App app, byte[] jobEvent) throws Exception {
    return Handlers.invoke(app, jobEvent).path("job").asText();
  }

  private static void assertAlreadyHandled(JsonNode reply) {
    assertEquals(4, reply.path("type").asInt(), reply.toString());
    assertEquals(64, reply.path("data").path("flags").asInt(), "ephemeral");
    assertEquals("This interaction was already handled.", reply.path("data").path("content").asText());
  }

  @Test
  void aRequestReplayedToTheSameContainerRunsItsCommandOnceAndLeavesOneTrace() throws Exception {
    App app = container();
    byte[] status = request("status");

    JsonNode first = Handlers.reply(app, status);
    JsonNode replayed = Handlers.reply(app, status);

    assertTrue(first.path("data").path("content").asText().contains("[#5]"), first.toString());
    assertAlreadyHandled(replayed);
    assertEquals(1, statusCalls.get(), "GitHub was asked once");
    assertEquals(1, tracesInTheTable(), "one trace");
  }

  @Test
  void aRequestReplayedToAnotherContainerIsNotRunThere() throws Exception {
    App first = container();
    App second = container();
    byte[] status = request("status");

    Handlers.reply(first, status);
    JsonNode replayed = Handlers.reply(second, status);

    assertAlreadyHandled(replayed);
    assertEquals(1, statusCalls.get());
    assertEquals(1, tracesInTheTable());
  }

  @Test
  void withoutATableAReplayToTheSameContainerIsNotRunAgain() throws Exception {
    App app = container(Optional.empty(), time, () -> { });
    byte[] status = request("status");

    Handlers.reply(app, status);
    JsonNode replayed = Handlers.reply(app, status);

    assertAlreadyHandled(replayed);
    assertEquals(1, statusCalls.get());
    assertEquals(1, ((dev.valine.orchestrator.observability.InMemoryTraceStore) app.traces()).size());
  }

  @Test
  void aReplayedRequestForACommandThatChangesSomethingStartsNoSecondJob() throws Exception {
    byte[] deploy = request(DispatchingCommand.NAME);

    JsonNode first = Handlers.reply(container(), deploy);
    JsonNode replayed = Handlers.reply(container(), deploy);

    assertEquals(5, first.path("type").asInt(), "deferred at once: it acts in the deferred half only");
    assertAlreadyHandled(replayed);
    assertEquals(1, jobs.size());
    assertEquals(0, dispatches.get(), "nothing acted inline");
  }

  /** Lambda delivers the job twice: once while the first delivery runs, once after it finished. */
  @Test
  void aJobDeliveredAgainWhileItRunsAndAfterItFinishedActsOnce() throws Exception {
    Handlers.reply(container(), request(DispatchingCommand.NAME));
    byte[] jobEvent = JobEvents.encode(jobs.get(0));
    CountDownLatch dispatched = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    App first = container(Optional.of(table), time, () -> {
      dispatched.countDown();
      release.await();
    });
    CompletableFuture<String> firstDelivery = CompletableFuture.supplyAsync(() -> {
      try {
        return job(first, jobEvent);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(dispatched.await(10, TimeUnit.SECONDS));

    String whileRunning = job(container(), jobEvent);
    release.countDown();
    String firstOutcome = firstDelivery.get(10, TimeUnit.SECONDS);
    String afterDone = job(container(), jobEvent);

    assertEquals("duplicate", whileRunning);
    assertEquals("completed", firstOutcome);
    assertEquals("duplicate", afterDone);
    assertEquals(1, dispatches.get());
    assertEquals(1, edits.size());
    assertTrue(edits.get(0).contains("Run " + RUN_ID + ": completed success"), edits.get(0));
  }

  /**
   * The first delivery dispatches, records the run, and dies (here: it stops, and its clock with it, so it
   * renews nothing). Lambda retries the event a minute or more later in another container: that one takes
   * the job over once the lease has lapsed, follows the recorded run, and does not dispatch again.
   */
  @Test
  void aJobRetriedAfterACrashMidwayResumesFromTheRunItStartedAndDoesNotDispatchAgain() throws Exception {
    Handlers.reply(container(), request(DispatchingCommand.NAME));
    byte[] jobEvent = JobEvents.encode(jobs.get(0));
    CountDownLatch dispatched = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    FakeTime crashedClock = new FakeTime(time.instant());
    App crashed = container(Optional.of(table), crashedClock, () -> {
      dispatched.countDown();
      never.await();
    });
    CompletableFuture<String> crashedDelivery = CompletableFuture.supplyAsync(() -> {
      try {
        return job(crashed, jobEvent);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertTrue(dispatched.await(10, TimeUnit.SECONDS));
    FakeTime retryClock = new FakeTime(time.instant().plus(Duration.ofMinutes(2)));
    App retried = container(Optional.of(table), retryClock, () -> { });

    try (LogCapture logs = new LogCapture()) {
      String outcome = job(retried, jobEvent);

      assertEquals("completed", outcome);
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText()
          .startsWith("deferred job taken over from an attempt that stopped before its end")), logs.text());
    }
    assertEquals(1, dispatches.get(), "the run the crashed attempt started is followed, not dispatched again");
    assertEquals(1, edits.size());
    assertTrue(edits.get(0).contains("Run " + RUN_ID + ": completed success"), edits.get(0));

    // Were the crashed attempt only stalled, it would find the job taken and leave the reply alone.
    never.countDown();
    crashedDelivery.get(30, TimeUnit.SECONDS);
    assertEquals(1, edits.size());
    assertEquals(1, dispatches.get());
  }

  @Test
  void whenTheTableFailsACommandThatChangesSomethingIsRefusedAndAReadOnlyOneAnswers() throws Exception {
    // A table that does not exist: every call to it fails, as when DynamoDB is down or the permission is missing.
    Optional<String> missing = Optional.of(Dynalite.uniqueTable("never-created"));
    App app = new App(TestApps.config(signer, Map.of("GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO",
        "octo-org/deploy-service", "STATUS_WORKFLOWS", "deploy.yml", "TRACE_TABLE_NAME", missing.get())), time,
        App.defaultTracing(Map.of()), runner -> jobs::add, new AwsEnvironment(dynalite.environment()), Metrics.NONE, TIME_TO_SPARE,
        List.of(new DispatchingCommand(github.url("/"))));
    app.prime();

    try (LogCapture logs = new LogCapture()) {
      JsonNode refused = Handlers.reply(app, request(DispatchingCommand.NAME));
      JsonNode status = Handlers.reply(app, request("status"));

      assertEquals(64, refused.path("data").path("flags").asInt());
      assertTrue(refused.path("data").path("content").asText()
          .startsWith("I could not make sure this runs only once, so I did not run it: nothing was changed"), refused.toString());
      assertTrue(status.path("data").path("content").asText().contains("[#5]"), status.toString());
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText()
          .startsWith("claim store unavailable, claimed the interaction in this container's memory")), logs.text());
    }
    assertEquals(List.of(), jobs, "no job for the refused command");
    assertEquals(0, dispatches.get());
  }

  private int tracesInTheTable() {
    return dynalite.client().scan(scan -> scan.tableName(table)).items().stream()
        .filter(item -> item.get("pk").s().startsWith("user#")).mapToInt(item -> 1).sum();
  }

  @Test
  void theNewestTraceAfterAReplayIsTheFirstDeliverys() throws Exception {
    App app = container();
    byte[] status = request("status");
    Handlers.reply(app, status);
    Handlers.reply(app, status);

    TraceRecord newest = app.traces().newestFor("100000000000000004").orElseThrow();

    assertEquals("status", newest.command());
    assertFalse(newest.steps().isEmpty());
    assertEquals("claim", newest.steps().get(0).name());
    assertEquals(Optional.of("first delivery"), newest.steps().get(0).detail());
  }
}
