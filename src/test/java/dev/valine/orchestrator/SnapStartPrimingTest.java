package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {
  // Stand for the real GitHub and Discord: priming must not send them anything.
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  private App app;

  @BeforeEach
  void start() throws Exception {
    github.start();
    discord.start();
    app = TestApps.app(new Signer(Clock.systemUTC()), Map.of(
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

    assertEquals(List.of("PING -> 200 type 1", "/status -> 200 type 4", "/debug-last -> 200 type 4",
        "/priming-unknown-command -> 200 type 4", "forged PING -> 401", "deferred /status -> completed"), answers);
    assertEquals(0, github.getRequestCount(), "the configured GitHub was not called");
    assertEquals(0, discord.getRequestCount(), "the configured Discord was not called, not even for an alert");
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
