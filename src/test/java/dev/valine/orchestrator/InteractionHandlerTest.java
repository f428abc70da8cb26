package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End to end through the Lambda entry point: real signed API Gateway events in, response events out. */
class InteractionHandlerTest {
  private final Signer discord = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final MockWebServer github = new MockWebServer();
  private InteractionHandler handler;

  @BeforeEach
  void start() throws Exception {
    github.start();
    handler = handlerWith(Map.of());
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private InteractionHandler handlerWith(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(),
        "GITHUB_REPO", "octo-org/deploy-service",
        "GITHUB_TOKEN", TestApps.fakeGitHubToken(),
        "STATUS_WORKFLOWS", "deploy.yml",
        "STAGE", "prod"));
    env.putAll(overrides);
    return new InteractionHandler(TestApps.app(discord, env));
  }

  /** Runs one event through the handler and returns the response event. */
  private JsonNode invoke(InteractionHandler target, JsonNode event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    target.handleRequest(new ByteArrayInputStream(Jackson.bytes(event)), out, new FakeLambdaContext());
    return Jackson.parse(out.toByteArray());
  }

  private JsonNode invoke(JsonNode event) throws Exception {
    return invoke(handler, event);
  }

  private static JsonNode body(JsonNode response) throws Exception {
    return Jackson.parse(response.path("body").asText());
  }

  private JsonNode status(Map<String, String> options) throws Exception {
    ObjectNode command = interactions.command("status", Optional.empty(), options);
    if (options.containsKey("count")) {
      command.path("data").path("options").forEach(o -> ((ObjectNode) o).put("type", 4).put("value", Long.parseLong(options.get("count"))));
    }
    return invoke(discord.httpApiEvent(Jackson.bytes(command), false));
  }

  @Test
  void answersSignedPingWithPong() throws Exception {
    JsonNode response = invoke(discord.httpApiEvent(Jackson.bytes(interactions.ping()), false));

    assertEquals(200, response.path("statusCode").asInt());
    assertEquals("application/json", response.path("headers").path("content-type").asText());
    assertEquals(Jackson.parse("{\"type\":1}"), body(response));
  }

  @Test
  void verifiesBase64BodyOverTheDecodedBytes() throws Exception {
    JsonNode response = invoke(discord.httpApiEvent(Jackson.bytes(interactions.ping()), true));

    assertEquals(200, response.path("statusCode").asInt());
    assertEquals(Jackson.parse("{\"type\":1}"), body(response));
  }

  @Test
  void acceptsRestApiEventWithMixedCaseHeaders() throws Exception {
    JsonNode response = invoke(discord.restApiEvent(Jackson.bytes(interactions.ping())));

    assertEquals(200, response.path("statusCode").asInt());
  }

  @Test
  void rejectsBadSignatureWith401() throws Exception {
    ObjectNode event = discord.httpApiEvent(Jackson.bytes(interactions.ping()), false);
    ((ObjectNode) event.path("headers")).put("x-signature-ed25519", "00".repeat(64));

    JsonNode response = invoke(event);

    assertEquals(401, response.path("statusCode").asInt());
    assertEquals(Jackson.parse("{\"error\":\"invalid request signature\"}"), body(response));
  }

  @Test
  void rejectsBodyChangedAfterSigningWith401() throws Exception {
    ObjectNode event = discord.httpApiEvent(Jackson.bytes(interactions.ping()), false);
    event.put("body", event.path("body").asText() + " ");

    assertEquals(401, invoke(event).path("statusCode").asInt());
  }

  @Test
  void rejectsMissingSignatureHeadersWith401() throws Exception {
    ObjectNode event = discord.httpApiEvent(Jackson.bytes(interactions.ping()), false);
    ((ObjectNode) event.path("headers")).remove("x-signature-ed25519");
    ((ObjectNode) event.path("headers")).remove("x-signature-timestamp");

    assertEquals(401, invoke(event).path("statusCode").asInt());
  }

  @Test
  void rejectsStaleTimestampWith401() throws Exception {
    Signer lateDiscord = new Signer(discord.keys(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)));

    JsonNode response = invoke(lateDiscord.httpApiEvent(Jackson.bytes(interactions.ping()), false));

    assertEquals(401, response.path("statusCode").asInt());
  }

  @Test
  void rejectsSignedBodyThatIsNotJsonWith400() throws Exception {
    JsonNode response = invoke(discord.httpApiEvent("hello".getBytes(StandardCharsets.UTF_8), false));

    assertEquals(400, response.path("statusCode").asInt());
    assertEquals("malformed interaction: body is not valid JSON", body(response).path("error").asText());
  }

  @Test
  void rejectsSignedJsonThatIsNotAnInteractionWith400() throws Exception {
    JsonNode response = invoke(discord.httpApiEvent("{\"hello\":1}".getBytes(StandardCharsets.UTF_8), false));

    assertEquals(400, response.path("statusCode").asInt());
  }

  @Test
  void rejectsBodyOver64KiBWith413() throws Exception {
    ObjectNode ping = interactions.ping().put("padding", "x".repeat(64 * 1024));

    JsonNode response = invoke(discord.httpApiEvent(Jackson.bytes(ping), false));

    assertEquals(413, response.path("statusCode").asInt());
  }

  @Test
  void rejectsEventThatIsNotHttpWith400() throws Exception {
    JsonNode response = invoke(Jackson.parse("{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}"));

    assertEquals(400, response.path("statusCode").asInt());
  }

  @Test
  void answersUnknownCommandWithEphemeralMessage() throws Exception {
    ObjectNode command = interactions.command("launch-rockets", Optional.empty(), Map.of());

    JsonNode response = body(invoke(discord.httpApiEvent(Jackson.bytes(command), false)));

    assertEquals(4, response.path("type").asInt());
    assertEquals(64, response.path("data").path("flags").asInt());
    assertTrue(response.path("data").path("content").asText().contains("`/launch-rockets`"));
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void showsRecentRunsOfConfiguredWorkflows() throws Exception {
    Instant now = Instant.now();
    github.enqueue(GitHubFixtures.runsPage(
        GitHubFixtures.run(412, "completed", "success", now.minus(Duration.ofMinutes(12)), Duration.ofSeconds(185)),
        GitHubFixtures.run(411, "completed", "failure", now.minus(Duration.ofHours(3)), Duration.ofSeconds(40)),
        GitHubFixtures.run(413, "in_progress", null, now.minus(Duration.ofMinutes(2)), Duration.ZERO)));

    JsonNode response = body(status(Map.of("count", "3")));

    String content = response.path("data").path("content").asText();
    assertEquals(4, response.path("type").asInt());
    assertTrue(response.path("data").path("flags").isMissingNode(), "visible to the channel");
    assertTrue(content.contains("octo-org/deploy-service"), content);
    assertTrue(content.contains("stage `prod`"), content);
    assertTrue(content.contains("✅ [#412](<https://github.com/octo-org/deploy-service/actions/runs/9000000412>)"), content);
    assertTrue(content.contains("12 min ago · took 3m 05s"), content);
    assertTrue(content.contains("❌ [#411]"), content);
    assertTrue(content.contains("🔄 [#413]"), content);
    assertTrue(content.contains("running for"), content);
    assertEquals(Jackson.parse("{\"parse\":[]}"), response.path("data").path("allowed_mentions"));

    RecordedRequest request = github.takeRequest(1, TimeUnit.SECONDS);
    assertEquals("/repos/octo-org/deploy-service/actions/workflows/deploy.yml/runs?per_page=3&exclude_pull_requests=true",
        request.getTarget());
    assertEquals("Bearer " + TestApps.fakeGitHubToken(), request.getHeaders().get("Authorization"));
    assertEquals("application/vnd.github+json", request.getHeaders().get("Accept"));
    assertEquals("2022-11-28", request.getHeaders().get("X-GitHub-Api-Version"));
    assertTrue(request.getHeaders().get("User-Agent").startsWith("valine-orchestrator/"));
  }

  @Test
  void answersStatusInDirectMessage() throws Exception {
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(7, "completed", "success", Instant.now(), Duration.ofSeconds(5))));
    ObjectNode command = new InteractionBuilder(new SecureRandom()).directMessage(true).command("status", Optional.empty(), Map.of());

    JsonNode response = body(invoke(discord.httpApiEvent(Jackson.bytes(command), false)));

    assertTrue(response.path("data").path("content").asText().contains("✅ [#7]"));
  }

  @Test
  void resolvesWorkflowDisplayNameToItsIdOnce() throws Exception {
    handler = handlerWith(Map.of("STATUS_WORKFLOWS", "Deploy"));
    github.enqueue(GitHubFixtures.workflows("Deploy", 161335));
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(1, "completed", "success", Instant.now(), Duration.ofSeconds(5))));
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(2, "completed", "success", Instant.now(), Duration.ofSeconds(5))));

    status(Map.of());
    JsonNode second = body(status(Map.of()));

    assertTrue(second.path("data").path("content").asText().contains("[#2]"));
    assertEquals(3, github.getRequestCount(), "the workflow list is fetched once, then cached");
    assertEquals("/repos/octo-org/deploy-service/actions/workflows?per_page=100", github.takeRequest().getTarget());
    assertTrue(github.takeRequest().getTarget().startsWith("/repos/octo-org/deploy-service/actions/workflows/161335/runs"));
  }

  @Test
  void rejectsCountOutOfRangeWithoutCallingGitHub() throws Exception {
    JsonNode response = body(status(Map.of("count", "11")));

    assertEquals(64, response.path("data").path("flags").asInt());
    assertTrue(response.path("data").path("content").asText().contains("between 1 and 10"));
    assertEquals(0, github.getRequestCount());
  }

  @ParameterizedTest(name = "GitHub {0}")
  @CsvSource(delimiter = '|', value = {
      "401 | {\"message\":\"Bad credentials\"}                     | | GitHub rejected our token (HTTP 401)",
      "403 | {\"message\":\"Resource not accessible by integration\"} | | GitHub refused access",
      "403 | {\"message\":\"API rate limit exceeded\"}              | 0 | GitHub's API rate limit is used up; it resets at",
      "429 | {\"message\":\"You have exceeded a secondary rate limit\"} | | GitHub's API rate limit is used up",
      "404 | {\"message\":\"Not Found\"}                            | | GitHub found no workflow `deploy.yml` in octo-org/deploy-service (HTTP 404)",
      "502 | <html>Bad gateway</html>                              | | GitHub is having trouble (HTTP 502)",
  })
  void explainsGitHubErrorEphemerally(int code, String body, String remaining, String expected) throws Exception {
    MockResponse.Builder error = new MockResponse.Builder().code(code).body(body);
    if (remaining != null) {
      error.setHeader("x-ratelimit-remaining", remaining)
          .setHeader("x-ratelimit-reset", Long.toString(Instant.now().plusSeconds(600).getEpochSecond()));
    }
    github.enqueue(error.build());

    JsonNode raw = status(Map.of());

    assertEquals(200, raw.path("statusCode").asInt(), "a failed upstream is still a successful interaction reply");
    JsonNode response = body(raw);
    String content = response.path("data").path("content").asText();
    assertEquals(64, response.path("data").path("flags").asInt(), "errors are shown only to the caller");
    assertTrue(content.contains(expected), content);
    assertTrue(!content.contains("Exception") && !content.contains("at dev."), "no stack trace: " + content);
  }

  @Test
  void defersWithinBudgetWhenGitHubHangs() throws Exception {
    // GitHub holds its answer until the test is over; the deferred half is captured, not run.
    CountDownLatch githubAnswers = new CountDownLatch(1);
    github.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        githubAnswers.await(10, TimeUnit.SECONDS);
        return GitHubFixtures.runsPage();
      }
    });
    List<DeferredJob> deferred = new CopyOnWriteArrayList<>();
    handler = new InteractionHandler(new App(TestApps.config(discord, Map.of("GITHUB_API_BASE", github.url("/").toString(),
        "GITHUB_REPO", "octo-org/deploy-service", "STATUS_WORKFLOWS", "deploy.yml", "COMMAND_BUDGET_MS", "500")),
        Clock.systemUTC(), App.defaultTracing(Map.of()), runner -> deferred::add));

    JsonNode response = body(status(Map.of()));

    // Answered while GitHub still held the call: a reply waiting for GitHub would have been its result.
    assertEquals(1, githubAnswers.getCount());
    githubAnswers.countDown();
    assertEquals(5, response.path("type").asInt(), "deferred: " + response);
    assertTrue(response.path("data").path("flags").isMissingNode(), "/status replies publicly, so its deferral is public too");
    assertEquals(1, deferred.size(), "finished by the deferred half");
  }

  @Test
  void showsOtherWorkflowsWhenOneFails() throws Exception {
    handler = handlerWith(Map.of("STATUS_WORKFLOWS", "deploy.yml,rollback.yml"));
    github.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return request.getTarget().contains("rollback.yml")
            ? GitHubFixtures.json(404, "{\"message\":\"Not Found\"}")
            : GitHubFixtures.runsPage(GitHubFixtures.run(5, "completed", "success", Instant.now(), Duration.ofSeconds(5)));
      }
    });

    JsonNode response = body(status(Map.of()));

    String content = response.path("data").path("content").asText();
    assertTrue(response.path("data").path("flags").isMissingNode(), content);
    assertTrue(content.contains("✅ [#5]"), content);
    assertTrue(content.contains("⚠️ GitHub found no workflow `rollback.yml`"), content);
  }

  @Test
  void explainsMissingGitHubConfiguration() throws Exception {
    InteractionHandler unconfigured = new InteractionHandler(TestApps.app(discord, Map.of()));

    JsonNode response = body(invoke(unconfigured,
        discord.httpApiEvent(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), false)));

    assertTrue(response.path("data").path("content").asText().contains("set GITHUB_REPO"));
  }
}
