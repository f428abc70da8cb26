package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.deferral.LocalJobLauncher;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.Handlers;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both halves of a slow command, end to end: the signed request through the Lambda handler, GitHub and
 * Discord on loopback, the deferred half on the local worker pool (as in {@code serve}) or fed to the
 * handler as the asynchronous invocation would deliver it.
 */
class DeferredCommandsEndToEndTest {
  private static final String LOADING_REPLY = "{\"id\":\"1400000000000000001\",\"flags\":128,\"content\":\"\"}";
  private static final String ANSWERED_REPLY = "{\"id\":\"1400000000000000001\",\"flags\":0,\"content\":\"done\"}";

  private final Signer signer = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  // Requests Discord received, in order; PATCHes are what users see.
  private final List<RecordedRequest> discordRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger githubCalls = new AtomicInteger();
  // One permit per edit Discord received: tests wait on it instead of polling.
  private final Semaphore edits = new Semaphore(0);
  private volatile String originalReply = LOADING_REPLY;

  @BeforeEach
  void start() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // The inline attempt finds GitHub hanging; the deferred half finds it answering.
        if (githubCalls.incrementAndGet() == 1) {
          return new MockResponse.Builder().headersDelay(4, TimeUnit.SECONDS).body("{}").build();
        }
        return GitHubFixtures.runsPage(GitHubFixtures.run(5, "completed", "success", Instant.now(), Duration.ofSeconds(42)));
      }
    });
    discord.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        discordRequests.add(request);
        if ("PATCH".equals(request.getMethod())) {
          originalReply = ANSWERED_REPLY;
          edits.release();
          return GitHubFixtures.json(200, ANSWERED_REPLY);
        }
        if ("GET".equals(request.getMethod())) {
          return GitHubFixtures.json(200, originalReply);
        }
        return GitHubFixtures.json(204, "");
      }
    });
    github.start();
    discord.start();
  }

  @AfterEach
  void stop() {
    github.close();
    discord.close();
  }

  private Map<String, String> env(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(),
        "GITHUB_REPO", "octo-org/deploy-service",
        "GITHUB_TOKEN", TestApps.fakeGitHubToken(),
        "STATUS_WORKFLOWS", "deploy.yml",
        "DISCORD_API_BASE", discord.url("/api/v10").toString(),
        "COMMAND_BUDGET_MS", "500"));
    env.putAll(overrides);
    return env;
  }

  /** An app whose deferred jobs are captured instead of run, as the Lambda async-invoke API would keep them. */
  private App appCapturingJobs(List<DeferredJob> jobs) {
    return new App(TestApps.config(signer, env(Map.of())), Clock.systemUTC(), App.defaultTracing(Map.of()), runner -> jobs::add);
  }


  private ObjectNode statusCommand() {
    return interactions.command("status", Optional.empty(), Map.of());
  }

  private List<RecordedRequest> patches() {
    return discordRequests.stream().filter(r -> "PATCH".equals(r.getMethod())).toList();
  }

  /** Waits for the deferred half to edit the reply; the local pool runs it in the background. */
  private List<RecordedRequest> awaitPatches(int count) throws InterruptedException {
    assertTrue(edits.tryAcquire(count, 10, TimeUnit.SECONDS), count + " edit(s) of the reply");
    return patches();
  }

  /** Waits until every job the app launched on its local pool has finished: after this, nothing more happens. */
  private static void awaitJobs(App app) throws InterruptedException {
    assertTrue(((LocalJobLauncher) app.launcher()).drain(10), "the deferred jobs finished");
  }

  @Test
  void defersSlowCommandThenEditsTheOriginalReplyExactlyOnce() throws Exception {
    App app = TestApps.app(signer, env(Map.of()));
    ObjectNode command = statusCommand();

    JsonNode response = Handlers.invoke(app, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(command), false)));

    // GitHub holds the inline attempt's call for 4 s: a reply that waited for it would not be "thinking…".
    JsonNode reply = Jackson.parse(response.path("body").asText());
    assertEquals(5, reply.path("type").asInt(), reply.toString());

    List<RecordedRequest> patches = awaitPatches(1);
    assertEquals(1, patches.size());
    RecordedRequest patch = patches.get(0);
    assertEquals("/api/v10/webhooks/" + command.path("application_id").asText() + "/" + command.path("token").asText()
        + "/messages/@original", patch.getUrl().encodedPath());
    assertNull(patch.getHeaders().get("Authorization"), "the interaction token is the credential");
    JsonNode edit = Jackson.parse(patch.getBody().utf8());
    assertTrue(edit.path("content").asText().contains("[#5]"), edit.toString());
    assertEquals(0, edit.path("allowed_mentions").path("parse").size());
    awaitJobs(app);
    assertEquals(1, patches().size(), "no second edit");
  }

  /**
   * The deferred half has a minute; a GitHub that takes longer than any fixed read timeout (the shared
   * client once had 3 s) but answers well inside that minute is waited for, and its runs are shown.
   */
  @Test
  void theDeferredHalfWaitsForASlowGitHubAsLongAsItsBudgetAllows() throws Exception {
    AtomicInteger slowCalls = new AtomicInteger();
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // Every answer takes 3.5 s: longer than the inline budget, and than the old fixed read timeout.
        slowCalls.incrementAndGet();
        ObjectNode page = Jackson.object().put("total_count", 1);
        page.putArray("workflow_runs").add(GitHubFixtures.run(8, "completed", "success", Instant.now(), Duration.ofSeconds(42)));
        return new MockResponse.Builder().headersDelay(3_500, TimeUnit.MILLISECONDS).code(200)
            .setHeader("Content-Type", "application/json").body(Jackson.text(page)).build();
      }
    });
    List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
    App app = appCapturingJobs(jobs);
    JsonNode reply = Jackson.parse(Handlers.invoke(app, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)))
        .path("body").asText());
    assertEquals(5, reply.path("type").asInt(), reply.toString());

    Handlers.invoke(app, JobEvents.encode(jobs.get(0)));

    JsonNode edit = Jackson.parse(awaitPatches(1).get(0).getBody().utf8());
    assertTrue(edit.path("content").asText().contains("[#8]"), edit.toString());
    assertEquals(2, slowCalls.get(), "the inline attempt's call, then the deferred half's, which was waited for");
  }

  @Test
  void bothHalvesShareOneTraceThatDebugLastShows() throws Exception {
    App app = TestApps.app(signer, env(Map.of()));
    ObjectNode command = statusCommand();

    try (LogCapture logs = new LogCapture()) {
      Handlers.invoke(app, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(command), false)));
      awaitJobs(app); // the closing line follows the edit

      JsonNode deferred = logs.lines().stream().filter(l -> l.path("message").asText().equals("command deferred")).findFirst().orElseThrow();
      JsonNode completed = logs.lines().stream().filter(l -> l.path("message").asText().equals("command completed")).findFirst().orElseThrow();
      assertEquals(deferred.path("trace_id").asText(), completed.path("trace_id").asText());
      assertEquals(command.path("id").asText(), completed.path("correlation_id").asText());
      assertTrue(completed.path("deferred").asBoolean());
      assertEquals("ok", completed.path("status").asText());

      TraceRecord trace = app.traces().find(deferred.path("trace_id").asText()).orElseThrow();
      assertEquals(TraceStatus.OK, trace.status());
      List<String> steps = trace.steps().stream().map(TraceStep::name).toList();
      assertEquals("inline attempt", steps.get(0));
      assertTrue(steps.contains("github.runs deploy.yml"), steps.toString());
      assertTrue(steps.contains("discord.edit @original"), steps.toString());
      assertTrue(completed.path("duration_ms").asLong() >= 500, "counted from arrival, across both halves");
    }
  }

  @Test
  void editsTheReplyWithTheErrorWhenTheDeferredHalfFails() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return githubCalls.incrementAndGet() == 1
            ? new MockResponse.Builder().headersDelay(4, TimeUnit.SECONDS).body("{}").build()
            : GitHubFixtures.json(401, "{\"message\":\"Bad credentials\"}");
      }
    });
    App app = TestApps.app(signer, env(Map.of()));

    Handlers.invoke(app, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)));

    List<RecordedRequest> patches = awaitPatches(1);
    assertEquals(1, patches.size());
    String content = Jackson.parse(patches.get(0).getBody().utf8()).path("content").asText();
    assertTrue(content.contains("GitHub"), content);
    assertFalse(content.contains("Exception"), "no stack trace: " + content);
  }

  @Test
  void jobEventFromTheInlineHalfRunsThroughTheHandlerAndEditsOnce() throws Exception {
    List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
    App inline = appCapturingJobs(jobs);
    Handlers.invoke(inline, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)));
    assertEquals(1, jobs.size());
    byte[] jobEvent = JobEvents.encode(jobs.get(0));
    App worker = TestApps.app(signer, env(Map.of()));

    JsonNode outcome = Handlers.invoke(worker, jobEvent);

    assertEquals("completed", outcome.path("job").asText());
    assertEquals(1, patches().size());
    assertEquals(List.of("GET", "PATCH"), discordRequests.stream().map(RecordedRequest::getMethod).toList(),
        "reads the reply first, to notice a job that already ran");
  }

  @Test
  void jobSentToTheLambdaInvokeApiIsWhatTheHandlerAccepts() throws Exception {
    try (MockWebServer lambdaApi = new MockWebServer()) {
      lambdaApi.start();
      lambdaApi.enqueue(new MockResponse.Builder().code(202).build());
      App inline = new App(TestApps.config(signer, env(Map.of())), Clock.systemUTC(), App.defaultTracing(Map.of()),
          App.defaultLaunchers(FakeAws.lambdaEnvironment(lambdaApi)));

      JsonNode reply = Jackson.parse(Handlers.invoke(inline, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)))
          .path("body").asText());
      RecordedRequest invocation = lambdaApi.takeRequest(5, TimeUnit.SECONDS);
      JsonNode outcome = Handlers.invoke(TestApps.app(signer, env(Map.of())), invocation.getBody().toByteArray());

      assertEquals(5, reply.path("type").asInt());
      assertEquals("Event", invocation.getHeaders().get("X-Amz-Invocation-Type"));
      assertEquals("completed", outcome.path("job").asText());
      assertEquals(1, patches().size());
    }
  }

  @Test
  void saysSoInlineWhenTheJobCannotBeLaunched() throws Exception {
    try (MockWebServer lambdaApi = new MockWebServer()) {
      lambdaApi.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(403).addHeader("x-amzn-ErrorType", "AccessDeniedException")
              .body("{\"Message\":\"not authorized to perform: lambda:InvokeFunction\"}").build();
        }
      });
      lambdaApi.start();
      App inline = new App(TestApps.config(signer, env(Map.of("ENABLE_ALERTS", "true", "DRY_RUN", "true"))), Clock.systemUTC(),
          App.defaultTracing(Map.of()), App.defaultLaunchers(FakeAws.lambdaEnvironment(lambdaApi)));

      try (LogCapture logs = new LogCapture()) {
        JsonNode reply = Jackson.parse(Handlers.invoke(inline, Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)))
            .path("body").asText());

        assertEquals(4, reply.path("type").asInt());
        assertEquals(64, reply.path("data").path("flags").asInt());
        assertTrue(reply.path("data").path("content").asText().contains("could not hand it to a background worker"), reply.toString());
        // Delivered before the invocation returned: the hand-off could not have gone anywhere either.
        assertTrue(logs.lines().stream().anyMatch(l -> l.path("alert_message").asText().contains("could not be deferred")));
      }
    }
  }

  @Test
  void duplicateDeliveryToTheSameContainerDoesNotPostTwice() throws Exception {
    List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
    Handlers.invoke(appCapturingJobs(jobs), Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)));
    byte[] jobEvent = JobEvents.encode(jobs.get(0));
    App worker = TestApps.app(signer, env(Map.of()));

    JsonNode first = Handlers.invoke(worker, jobEvent);
    JsonNode second = Handlers.invoke(worker, jobEvent);

    assertEquals("completed", first.path("job").asText());
    assertEquals("duplicate", second.path("job").asText());
    assertEquals(1, patches().size());
  }

  @Test
  void duplicateDeliveryToAnotherContainerDoesNotPostTwice() throws Exception {
    List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
    Handlers.invoke(appCapturingJobs(jobs), Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)));
    byte[] jobEvent = JobEvents.encode(jobs.get(0));

    JsonNode first = Handlers.invoke(TestApps.app(signer, env(Map.of())), jobEvent);
    JsonNode second = Handlers.invoke(TestApps.app(signer, env(Map.of())), jobEvent);

    assertEquals("completed", first.path("job").asText());
    assertEquals("duplicate", second.path("job").asText(), "the reply already shows an answer");
    assertEquals(1, patches().size());
  }

  @Test
  void refusesAJobEventPostedToTheHttpEndpoint() throws Exception {
    List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
    Handlers.invoke(appCapturingJobs(jobs), Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)));
    byte[] jobEvent = JobEvents.encode(jobs.get(0));
    App app = TestApps.app(signer, env(Map.of()));

    JsonNode unsigned = Handlers.invoke(app, Jackson.bytes(new Signer(Ed25519KeyPair.generate(new SecureRandom()), Clock.systemUTC())
        .httpApiEvent(jobEvent, false)));
    JsonNode signedByUs = Handlers.invoke(app, Jackson.bytes(signer.httpApiEvent(jobEvent, false)));

    assertEquals(401, unsigned.path("statusCode").asInt(), "a job is no interaction, and its sender no Discord");
    assertEquals(400, signedByUs.path("statusCode").asInt(), "even correctly signed, a job body is not an interaction");
    awaitJobs(app);
    assertEquals(List.of(), discordRequests);
  }

  @Test
  void refusesAJobWhoseInteractionWasNotSignedByDiscord() throws Exception {
    Signer impostor = new Signer(Ed25519KeyPair.generate(new SecureRandom()), Clock.systemUTC());
    byte[] body = Jackson.bytes(statusCommand());
    String timestamp = impostor.now();
    DeferredJob forged = new DeferredJob("forged-trace", new SignedInteraction(body, impostor.sign(timestamp, body), timestamp),
        Instant.now(), Instant.now());

    JsonNode outcome = Handlers.invoke(TestApps.app(signer, env(Map.of())), JobEvents.encode(forged));

    assertEquals("refused", outcome.path("job").asText());
    assertEquals(List.of(), discordRequests);
  }

  @Test
  void refusesAJobWhoseBodyWasChangedAfterSigning() throws Exception {
    byte[] body = Jackson.bytes(statusCommand());
    String timestamp = signer.now();
    String signature = signer.sign(timestamp, body);
    byte[] changed = new String(body, StandardCharsets.UTF_8).replace("\"status\"", "\"debug-last\"").getBytes(StandardCharsets.UTF_8);
    DeferredJob tampered = new DeferredJob("t", new SignedInteraction(changed, signature, timestamp), Instant.now(), Instant.now());

    JsonNode outcome = Handlers.invoke(TestApps.app(signer, env(Map.of())), JobEvents.encode(tampered));

    assertEquals("refused", outcome.path("job").asText());
    assertEquals(List.of(), discordRequests);
  }

  @Test
  void abandonsAJobWhoseTokenHasExpiredWithALogLineAndAnAlert() throws Exception {
    // Still signed within the token's 15 minutes, but too close to their end to run and still edit the reply.
    Instant fifteenMinutesAgo = Instant.now().minus(Duration.ofMinutes(15)).plusSeconds(15);
    Signer past = new Signer(signer.keys(), Clock.fixed(fifteenMinutesAgo, java.time.ZoneOffset.UTC));
    byte[] body = Jackson.bytes(statusCommand());
    String timestamp = past.now();
    DeferredJob late = new DeferredJob("late-trace", new SignedInteraction(body, past.sign(timestamp, body), timestamp),
        fifteenMinutesAgo, fifteenMinutesAgo.plusSeconds(2));
    App app = TestApps.app(signer, env(Map.of("ENABLE_ALERTS", "true", "DRY_RUN", "true")));

    try (LogCapture logs = new LogCapture()) {
      JsonNode outcome = Handlers.invoke(app, JobEvents.encode(late));

      assertEquals("expired", outcome.path("job").asText());
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText().startsWith("deferred job abandoned")
          && l.path("trace_id").asText().equals("late-trace")));
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText().startsWith("dry-run: would post alert")
          && l.path("alert_message").asText().contains("Deferred command abandoned")), "alerted");
    }
    assertEquals(List.of(), patches(), "an expired token cannot edit anything");
  }

  @Test
  void malformedJobEventIsRefusedNotRetried() throws Exception {
    JsonNode outcome = Handlers.invoke(TestApps.app(signer, env(Map.of())),
        "{\"valine_job\":\"deferred_command\",\"version\":1,\"trace_id\":\"t\"}".getBytes(StandardCharsets.UTF_8));

    assertEquals("refused", outcome.path("job").asText());
  }

  @Test
  void dryRunLogsTheEditInsteadOfSendingIt() throws Exception {
    List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
    Handlers.invoke(appCapturingJobs(jobs), Jackson.bytes(signer.httpApiEvent(Jackson.bytes(statusCommand()), false)));
    App dryRun = TestApps.app(signer, env(Map.of("DRY_RUN", "true")));

    try (LogCapture logs = new LogCapture()) {
      JsonNode outcome = Handlers.invoke(dryRun, JobEvents.encode(jobs.get(0)));

      assertEquals("completed", outcome.path("job").asText());
      JsonNode line = logs.lines().stream().filter(l -> l.path("message").asText().equals("dry-run: would edit the deferred reply"))
          .findFirst().orElseThrow();
      assertTrue(line.path("reply").asText().contains("[#5]"), line.toString());
    }
    assertEquals(List.of(), discordRequests);
  }
}
