package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.AlertService;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts raised by real commands, delivered to MockWebServer playing Discord. */
class AlertsEndToEndTest {
  private static final String OPS_CHANNEL = "645027906669510667";

  private final Signer signer = new Signer(Clock.systemUTC());
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  private final String botToken = "fake-bot-token-" + Long.toHexString(new SecureRandom().nextLong());

  @BeforeEach
  void start() throws Exception {
    github.start();
    discord.start();
    // GitHub is down: every runs request answers 502, an upstream failure users cannot fix.
    github.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(502).body("bad gateway").build();
      }
    });
  }

  @AfterEach
  void stop() {
    github.close();
    discord.close();
  }

  private App app(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service", "STATUS_WORKFLOWS", "deploy.yml",
        "DISCORD_API_BASE", discord.url("/api/v10").toString(), "DISCORD_BOT_TOKEN", botToken,
        "ALERT_CHANNEL_ID", OPS_CHANNEL, "ENABLE_ALERTS", "true", "STAGE", "prod"));
    env.putAll(overrides);
    return TestApps.app(signer, env);
  }

  private JsonNode status(App app) throws Exception {
    byte[] interaction = Jackson.bytes(new InteractionBuilder(new SecureRandom()).command("status", Optional.empty(), Map.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new InteractionHandler(app).handleRequest(new ByteArrayInputStream(Jackson.bytes(signer.httpApiEvent(interaction, false))), out,
        new FakeLambdaContext());
    return Jackson.parse(Jackson.parse(out.toByteArray()).path("body").asText());
  }

  @Test
  void postsAnErrorAlertWhenGitHubFails() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(200).body("{\"id\":\"1\"}").build());

    JsonNode reply = status(app(Map.of()));

    assertTrue(reply.path("data").path("content").asText().contains("GitHub is having trouble (HTTP 502)"));
    RecordedRequest post = discord.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("/api/v10/channels/" + OPS_CHANNEL + "/messages", post.getTarget());
    assertEquals("Bot " + botToken, post.getHeaders().get("Authorization"));
    JsonNode embed = Jackson.parse(post.getBody().utf8()).path("embeds").get(0);
    assertEquals("🟠 ERROR: GitHub call failed", embed.path("title").asText());
    assertTrue(embed.path("description").asText().contains("Fetching runs of `deploy.yml`: GitHub is having trouble (HTTP 502)"));
    assertTrue(Jackson.text(embed.path("fields")).contains("GitHub SERVER_ERROR"));
  }

  @Test
  void sendsOneAlertPerWindowForRepeatedFailures() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(200).body("{\"id\":\"1\"}").build());
    App app = app(Map.of());

    status(app);
    status(app);
    status(app);

    AlertService alerts = (AlertService) app.alerts();
    assertEquals(1, discord.getRequestCount());
    assertEquals(1, alerts.sentCount());
    assertEquals(2, alerts.suppressedCount());
  }

  @Test
  void sendsNothingWhenAlertsAreDisabled() throws Exception {
    status(app(Map.of("ENABLE_ALERTS", "false")));

    assertNull(discord.takeRequest(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void logsInsteadOfPostingInDryRun() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      status(app(Map.of("DRY_RUN", "true")));

      JsonNode line = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("dry-run: would post alert"))
          .findFirst().orElseThrow();
      assertTrue(line.path("alert_message").asText().contains("GitHub call failed"));
    }
    assertNull(discord.takeRequest(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void answersInBudgetWhenTheAlertPostHangs() throws Exception {
    discord.enqueue(new MockResponse.Builder().headersDelay(10, TimeUnit.SECONDS).body("{}").build());
    long started = System.nanoTime();

    JsonNode reply = status(app(Map.of("COMMAND_BUDGET_MS", "800")));

    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(reply.path("data").path("content").asText().contains("GitHub is having trouble"));
    assertTrue(elapsedMillis < 2_500, "answered after " + elapsedMillis + " ms");
  }

  @Test
  void logsAndCountsAFailedAlertWithoutFailingTheReply() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(403).body("{\"message\":\"Missing Access\",\"code\":50001}").build());
    App app = app(Map.of());

    try (LogCapture logs = new LogCapture()) {
      JsonNode reply = status(app);

      assertTrue(reply.path("data").path("content").asText().contains("GitHub is having trouble"));
      app.alerts().flush(java.time.Duration.ofSeconds(5));
      JsonNode failure = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("alert not delivered"))
          .findFirst().orElseThrow();
      assertTrue(failure.path("reason").asText().contains("code 50001: Missing Access"), failure.toString());
      assertEquals("GitHub call failed", failure.path("alert_title").asText());
      assertEquals("status", failure.path("command").asText(), "delivery logs carry the raising command's context");
      assertTrue(failure.path("trace_id").isTextual());
    }
    assertEquals(1, ((AlertService) app.alerts()).failedCount());
  }
}
