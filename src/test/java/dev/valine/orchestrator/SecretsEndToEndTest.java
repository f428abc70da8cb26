package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.SecretsManagerStandIn;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.secrets.Tokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tokens read at run time, through the Lambda entry point: the app as the template configures it (SECRET_ID,
 * no token variables), GitHub and Secrets Manager on loopback.
 */
class SecretsEndToEndTest {
  private final Signer discord = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final MockWebServer github = new MockWebServer();
  private final String githubToken = "fake-gh-" + System.nanoTime();
  private SecretsManagerStandIn secretsManager;

  /**
   * Loads the SDK's Secrets Manager pipeline first, as SnapStart priming does in production: a fresh test JVM's first
   * read spends longer than a command's budget loading classes, and these tests are about the reads, not the loader.
   */
  @BeforeAll
  static void warmTheSdk() throws Exception {
    try (LoopbackUpstreams standIns = LoopbackUpstreams.start(0)) {
      Tokens tokens = Tokens.forApp(Config.fromEnvironment(Map.of("SECRET_ID", "warm-up"), Config.PublicKey.OPTIONAL),
          new AwsEnvironment(standIns.awsEnvironment("eu-west-1", "warm-up")), Clock.systemUTC(),
          new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3));
      tokens.github().token();
      tokens.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    github.start();
    secretsManager = new SecretsManagerStandIn().holds(Map.of("botToken", "fake-bot-" + System.nanoTime(), "githubToken", githubToken));
  }

  @AfterEach
  void stop() {
    github.close();
    secretsManager.close();
  }

  private App app() {
    Map<String, String> env = new HashMap<>(Map.of("GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service",
        "STATUS_WORKFLOWS", "deploy.yml", "SECRET_ID", "valine/test"));
    return new App(TestApps.config(discord, env), Clock.systemUTC(), () -> Tracing.NONE, runner -> job -> { },
        new AwsEnvironment(secretsManager.awsEnvironment()));
  }

  private JsonNode invoke(InteractionHandler handler, JsonNode interaction) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(Jackson.bytes(discord.httpApiEvent(Jackson.bytes(interaction), false))), out,
        new FakeLambdaContext());
    JsonNode response = Jackson.parse(out.toByteArray());
    return Jackson.parse(response.path("body").asText());
  }

  private JsonNode status(InteractionHandler handler) throws Exception {
    return invoke(handler, interactions.command("status", Optional.empty(), Map.of()));
  }

  @Test
  void aSecretThatCannotBeReadGetsAClearEphemeralAnswerAndOneErrorLineWhilePingStillWorks() throws Exception {
    secretsManager.failsWith("AccessDeniedException");
    try (LogCapture logs = new LogCapture()) {
      InteractionHandler handler = new InteractionHandler(app());

      JsonNode pong = invoke(handler, interactions.ping());
      JsonNode answer = status(handler);

      assertEquals(1, pong.path("type").asInt(), "PING needs no token");
      String content = answer.path("data").path("content").asText();
      assertTrue(content.startsWith("I could not read my credentials (secret `valine/test`: AccessDeniedException)"), content);
      assertTrue(content.contains("RUNBOOK.md, \"Secret cannot be read\""), content);
      assertEquals(64, answer.path("data").path("flags").asInt(), "ephemeral: " + answer);
      assertEquals(0, github.getRequestCount(), "nothing was sent without a token");
      List<JsonNode> secretErrors = logs.lines().stream()
          .filter(line -> line.path("level").asText().equals("ERROR") && line.has("secret_name")).toList();
      assertEquals(1, secretErrors.size(), logs.text());
      assertEquals("valine/test", secretErrors.get(0).path("secret_name").asText());
      assertEquals("AccessDeniedException", secretErrors.get(0).path("error_code").asText());
    }
  }

  @Test
  void commandsThatNeedNoTokenKeepWorkingWhenTheSecretCannotBeRead() throws Exception {
    secretsManager.failsWith("ResourceNotFoundException");
    InteractionHandler handler = new InteractionHandler(app());

    JsonNode debugLast = invoke(handler, interactions.command("debug-last", Optional.empty(), Map.of()));

    assertEquals(4, debugLast.path("type").asInt());
    assertFalse(debugLast.path("data").path("content").asText().contains("credentials"), debugLast.toString());
    assertEquals(0, secretsManager.reads(), "/debug-last reads no token");
  }

  @Test
  void theTokenIsReadOnFirstUseAndSentToGitHub() throws Exception {
    github.enqueue(GitHubFixtures.runsPage());
    github.enqueue(GitHubFixtures.runsPage());
    InteractionHandler handler = new InteractionHandler(app());

    JsonNode first = status(handler);
    status(handler);

    assertEquals(4, first.path("type").asInt(), first.toString());
    assertEquals("Bearer " + githubToken, github.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"));
    assertEquals(1, secretsManager.reads(), "kept for the next command");
  }

  /** SnapStart: priming builds the client and reads nothing; after the restore no token from before is used. */
  @Test
  void primingReadsNoSecretAndTheRestoreHookForgetsAnyTokenReadBeforeIt() throws Exception {
    App app = app();
    SnapStartPriming priming = new SnapStartPriming(app);

    priming.prime();
    assertEquals(0, secretsManager.reads(), "no token is part of the snapshot");

    InteractionHandler handler = new InteractionHandler(app);
    github.enqueue(GitHubFixtures.runsPage());
    status(handler);
    String rotated = "fake-rotated-" + System.nanoTime();
    secretsManager.holds(Map.of("githubToken", rotated));

    priming.afterRestore(null);
    github.enqueue(GitHubFixtures.runsPage());
    status(handler);

    assertEquals("Bearer " + githubToken, github.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"));
    assertEquals("Bearer " + rotated, github.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"),
        "read again after the restore, not the token from before it");
    assertEquals(2, secretsManager.reads());
  }
}
