package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.deferral.LambdaAsyncInvoker;
import dev.valine.orchestrator.deferral.LambdaJobLauncher;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import dev.valine.orchestrator.util.Lazy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
  // Stand for the real GitHub and Discord: priming must not send them anything.
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  private final Signer signer = new Signer(Clock.systemUTC());
  private App app;

  @BeforeEach
  void start() throws Exception {
    github.start();
    discord.start();
    app = TestApps.app(signer, Map.of(
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service",
        "GITHUB_TOKEN", TestApps.fakeGitHubToken(), "STATUS_WORKFLOWS", "Deploy",
        "DISCORD_API_BASE", discord.url("/api/v10").toString(), "ENABLE_ALERTS", "true",
        "ALERT_CHANNEL_ID", "645027906669510667", "DISCORD_BOT_TOKEN", "fake-bot-token-" + System.nanoTime(),
        "ENABLE_METRICS", "true"));
  }

  @AfterEach
  void stop() {
    github.close();
    discord.close();
  }

  @Test
  void runsEveryRequestPathThroughTheRealHandlerWithoutNetwork() throws Exception {
    List<String> answers = new SnapStartPriming(app).prime();

    assertEquals(List.of("PING -> 200 type 1", "/status -> 200 type 4", "/status again -> 200 already handled", "/debug-last -> 200 type 4",
        "/priming-unknown-command -> 200 type 4", "forged PING -> 401", "/verify-run -> 200 type 4 passed", "/status-digest -> 200 type 4",
        "/deploy-client -> 200 type 5", "deferred /deploy-client -> completed, run succeeded", "/diagnose -> 200 type 5",
        "deferred /diagnose -> completed, run succeeded", "deferred /status -> completed",
        "deferral hand-off -> queued", "alert dedup -> suppressed",
        "AWS stand-ins <- DynamoDB GetItem, DynamoDB PutItem, DynamoDB Query, DynamoDB UpdateItem, Lambda Invoke, "
            + "Secrets Manager GetSecretValue"), answers);
    assertEquals(0, github.getRequestCount(), "the configured GitHub was not called");
    assertEquals(0, discord.getRequestCount(), "the configured Discord was not called, not even for an alert");
  }

  /**
   * As in Lambda with shared state: the throwaway app exercises both SDK clients against loopback
   * stand-ins, then the real app builds its own, reads its table once and invokes nothing.
   */
  @Test
  void buildsTheRealAppsAwsClientsAndInvokesNothing() throws Exception {
    try (MockWebServer dynamoApi = new MockWebServer(); MockWebServer lambdaApi = new MockWebServer()) {
      dynamoApi.enqueue(new MockResponse.Builder().code(200).body("{}").build());
      dynamoApi.start();
      lambdaApi.start();
      AtomicInteger invokersBuilt = new AtomicInteger();
      Signer signer = new Signer(Clock.systemUTC());
      App lambda = new App(TestApps.config(signer, Map.of("TRACE_TABLE_NAME", "valine-state", "GITHUB_API_BASE", github.url("/").toString(),
          "GITHUB_REPO", "octo-org/deploy-service")), Clock.systemUTC(), () -> Tracing.NONE,
          runner -> new LambdaJobLauncher(new Lazy<>(() -> {
            invokersBuilt.incrementAndGet();
            return LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(FakeAws.lambdaEnvironment(lambdaApi)));
          }), "valine-orchestrator-dev", Optional.of("7")),
          new AwsEnvironment(FakeAws.environment("DYNAMODB", dynamoApi.url("/").toString())));

      List<String> answers = new SnapStartPriming(lambda).prime();

      assertTrue(answers.contains("deferral hand-off -> queued"), answers.toString());
      assertTrue(answers.contains("alert dedup -> suppressed"), answers.toString());
      assertEquals(1, invokersBuilt.get(), "the real app's Lambda client is built");
      assertEquals(0, lambdaApi.getRequestCount(), "and invokes nothing");
      RecordedRequest read = dynamoApi.takeRequest(5, TimeUnit.SECONDS);
      assertEquals("DynamoDB_20120810.GetItem", read.getHeaders().get("X-Amz-Target"), "the real app's DynamoDB client is built and reads");
      assertEquals("valine-state", Jackson.parse(read.getBody().toByteArray()).path("TableName").asText());
      assertEquals(1, dynamoApi.getRequestCount());
    }
  }

  /** As in Lambda with active tracing: X-Ray's recorder and entities are exercised, and nothing is sent. */
  @Test
  void primesXRayWhenTheFunctionTracesAndBuildsTheRecorder() throws Exception {
    AtomicInteger tracingsBuilt = new AtomicInteger();
    Signer signer = new Signer(Clock.systemUTC());
    App traced = new App(TestApps.config(signer, Map.of("AWS_LAMBDA_FUNCTION_NAME", "valine-orchestrator-dev",
        "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000", "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service")),
        Clock.systemUTC(), () -> {
          tracingsBuilt.incrementAndGet();
          return Tracing.NONE;
        }, runner -> job -> { });

    List<String> answers = new SnapStartPriming(traced).prime();

    assertTrue(answers.contains("X-Ray -> 1 segment serialised, none sent"), answers.toString());
    assertEquals(1, tracingsBuilt.get(), "the real app's tracing is built before the snapshot");
  }

  /** The throwaway app's operator and URL rules are its own: the real app refuses that user and keeps its rules. */
  @Test
  void leavesTheRealAppsOperatorsAndUrlRulesAsConfigured() throws Exception {
    new SnapStartPriming(app).prime();

    assertFalse(app.config().allowPrivateTargets());
    assertTrue(app.config().ops().operators().userIds().isEmpty());
    assertTrue(app.config().ops().frontendBaseUrl().isEmpty());
    byte[] deploy = Jackson.bytes(new InteractionBuilder(new SecureRandom()).user("100000000000000001")
        .command("deploy-client", app.commands().find("deploy-client").map(c -> c.definition()), Map.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new InteractionHandler(app).handleRequest(new ByteArrayInputStream(Jackson.bytes(signer.httpApiEvent(deploy, false))), out,
        new FakeLambdaContext());
    String refusal = Jackson.parse(Jackson.parse(out.toByteArray()).path("body").asText()).path("data").path("content").asText();
    assertTrue(refusal.contains("OPERATOR_USER_IDS"), refusal);
    assertEquals(0, github.getRequestCount(), "nothing was dispatched");
  }

  @Test
  void leavesNoTraceMetricOrAlertOfItsOwn() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      new SnapStartPriming(app).prime();
    } finally {
      System.setOut(original);
    }

    assertEquals(0, ((InMemoryTraceStore) app.traces()).size(), "/debug-last shows nothing from priming");
    assertFalse(stdout.toString(StandardCharsets.UTF_8).contains("\"_aws\""), "no metric from priming requests");
  }

  @Test
  void runtimeHooksPrimeAndRestoreWithoutErrors() throws Exception {
    SnapStartPriming priming = new SnapStartPriming(app);

    try (LogCapture logs = new LogCapture()) {
      priming.beforeCheckpoint(null);
      priming.afterRestore(null);

      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText().startsWith("primed before the snapshot")));
      assertTrue(logs.lines().stream().noneMatch(l -> l.path("level").asText().equals("ERROR")), logs.text());
    }
  }

  @Test
  void registeringOutsideSnapStartPrimesNothing() {
    try (LogCapture logs = new LogCapture()) {
      SnapStartPriming.register(app);

      assertTrue(logs.lines().stream().noneMatch(l -> l.path("message").asText().startsWith("primed")),
          "without a CRaC runtime no checkpoint happens, so the hook never runs");
    }
  }
}
