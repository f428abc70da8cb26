package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /debug-last through the Lambda handler: what each user sees, and only what is theirs. */
class DebugLastEndToEndTest {
  private static final String ALICE = "200000000000000001";
  private static final String BOB = "200000000000000002";

  private final Signer discord = new Signer(Clock.systemUTC());
  private final MockWebServer github = new MockWebServer();
  private InteractionHandler handler;

  @BeforeEach
  void start() throws Exception {
    github.start();
    handler = handler(Map.of());
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private InteractionHandler handler(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("GITHUB_API_BASE", github.url("/").toString(),
        "GITHUB_REPO", "octo-org/deploy-service", "STATUS_WORKFLOWS", "deploy.yml,rollback.yml"));
    env.putAll(overrides);
    return new InteractionHandler(TestApps.app(discord, env));
  }

  private JsonNode run(InteractionHandler target, String user, String command) throws Exception {
    byte[] interaction = Jackson.bytes(new InteractionBuilder(new SecureRandom()).user(user).command(command, Optional.empty(), Map.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    target.handleRequest(new ByteArrayInputStream(Jackson.bytes(discord.httpApiEvent(interaction, false))), out, new FakeLambdaContext());
    return Jackson.parse(Jackson.parse(out.toByteArray()).path("body").asText());
  }

  private static String content(JsonNode response) {
    return response.path("data").path("content").asText();
  }

  @Test
  void showsTheCallersOwnLastCommandStepByStep() throws Exception {
    github.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
        return request.getTarget().contains("rollback.yml")
            ? GitHubFixtures.json(502, "bad gateway")
            : GitHubFixtures.runsPage(GitHubFixtures.run(412, "completed", "success", Instant.now(), Duration.ofSeconds(90)));
      }
    });
    String traceId;
    try (LogCapture logs = new LogCapture()) {
      run(handler, ALICE, "status");
      traceId = logs.lines().stream().filter(line -> line.path("message").asText().equals("command completed"))
          .findFirst().orElseThrow().path("trace_id").asText();
    }

    JsonNode debug = run(handler, ALICE, "debug-last");

    String text = content(debug);
    assertEquals(64, debug.path("data").path("flags").asInt(), "only the caller sees it");
    assertTrue(text.startsWith("**Your last command:** `/status` · ✅ ok"), text);
    assertTrue(text.contains("Trace `" + traceId + "`"), "the trace id from the logs: " + text);
    assertTrue(text.contains("✅ `github.runs deploy.yml`"), text);
    assertTrue(text.contains("❌ `github.runs rollback.yml`") && text.contains("SERVER_ERROR HTTP 502"), text);
    assertTrue(text.contains("• deploy.yml: <https://github.com/octo-org/deploy-service/actions/runs/9000000412>"), text);
    assertTrue(text.length() <= 2000);
  }

  @Test
  void neverShowsAnotherUsersTrace() throws Exception {
    run(handler, ALICE, "launch-rockets");

    JsonNode bobsView = run(handler, BOB, "debug-last");
    run(handler, BOB, "status-of-nothing");
    JsonNode bobsSecondView = run(handler, BOB, "debug-last");
    JsonNode alicesView = run(handler, ALICE, "debug-last");

    assertTrue(content(bobsView).startsWith("Nothing to show yet"), content(bobsView));
    assertTrue(content(bobsSecondView).contains("`/status-of-nothing`"), content(bobsSecondView));
    assertFalse(content(bobsSecondView).contains("launch-rockets"));
    assertTrue(content(alicesView).contains("`/launch-rockets` · ❌ error"), content(alicesView));
    assertTrue(content(alicesView).contains("**Error:** unknown command /launch-rockets"), content(alicesView));
  }

  @Test
  void askingTwiceShowsTheSameCommand() throws Exception {
    run(handler, ALICE, "launch-rockets");

    run(handler, ALICE, "debug-last");
    JsonNode second = run(handler, ALICE, "debug-last");

    assertTrue(content(second).contains("`/launch-rockets`"), content(second));
  }

  @Test
  void isDisabledByTheFlag() throws Exception {
    InteractionHandler prod = handler(Map.of("STAGE", "prod"));
    run(prod, ALICE, "launch-rockets");

    JsonNode response = run(prod, ALICE, "debug-last");

    assertEquals(64, response.path("data").path("flags").asInt());
    assertTrue(content(response).startsWith("`/debug-last` is disabled in stage `prod` (ENABLE_DEBUG_CMD=false)."), content(response));
  }
}
