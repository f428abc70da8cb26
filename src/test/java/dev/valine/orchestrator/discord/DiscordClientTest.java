package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Discord client against MockWebServer playing Discord; waits go through a fake sleeper. */
class DiscordClientTest {
  private static final String CHANNEL = "645027906669510667";
  private static final Duration BUDGET = Duration.ofSeconds(30);

  private final MockWebServer discord = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));
  private final String botToken = "fake." + "bot." + "token-" + Long.toHexString(new Random().nextLong());
  private final OkHttpClient http = new OkHttpClient();
  private DiscordClient client;

  @BeforeEach
  void start() throws Exception {
    discord.start();
    client = client(time, RetryPolicy.DEFAULT);
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  private DiscordClient client(Clock clock, RetryPolicy policy) {
    // Random(0) with nextDouble() keeps the jitter deterministic in assertions below.
    return new DiscordClient(http, discord.url("/api/v10").toString(), Optional.of(new Secret(botToken)), "1.2.3",
        clock, time, new Random(0), policy);
  }

  private static ObjectNode message() {
    ObjectNode message = Jackson.object().put("content", "deploy failed");
    message.putObject("allowed_mentions").putArray("parse");
    return message;
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse rateLimited(String body, String... headers) {
    MockResponse.Builder response = new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json").body(body);
    for (int i = 0; i < headers.length; i += 2) {
      response.setHeader(headers[i], headers[i + 1]);
    }
    return response.build();
  }

  @Test
  void postsChannelMessageWithBotAuthAndUserAgent() throws Exception {
    discord.enqueue(ok("{\"id\":\"1\"}"));

    assertEquals("1", client.createMessage(CHANNEL, message(), BUDGET).path("id").asText());

    RecordedRequest request = discord.takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals("/api/v10/channels/" + CHANNEL + "/messages", request.getTarget());
    assertEquals("Bot " + botToken, request.getHeaders().get("Authorization"));
    assertTrue(request.getHeaders().get("User-Agent").startsWith("DiscordBot (https://"), request.getHeaders().get("User-Agent"));
    assertTrue(request.getHeaders().get("User-Agent").endsWith(", 1.2.3)"));
    assertTrue(request.getHeaders().get("Content-Type").startsWith("application/json"));
    assertEquals(Jackson.parse("{\"content\":\"deploy failed\",\"allowed_mentions\":{\"parse\":[]}}"), Jackson.parse(request.getBody().utf8()));
  }

  @Test
  void editsOriginalResponseWithInteractionTokenOnly() throws Exception {
    discord.enqueue(ok("{\"id\":\"2\"}"));
    String interactionToken = "fake-interaction-token-" + Long.toHexString(new Random().nextLong());

    client.editOriginalResponse("1200000000000000000", interactionToken, message(), BUDGET);

    RecordedRequest request = discord.takeRequest();
    assertEquals("PATCH", request.getMethod());
    assertEquals("/api/v10/webhooks/1200000000000000000/" + interactionToken + "/messages/@original", request.getTarget());
    assertNull(request.getHeaders().get("Authorization"), "follow-ups are authorised by the interaction token, not the bot token");
  }

  @Test
  void postsFollowupWithoutBotToken() throws Exception {
    discord.enqueue(ok("{\"id\":\"3\"}"));

    client.createFollowup("1200000000000000000", "fake-interaction-token", message(), BUDGET);

    RecordedRequest request = discord.takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals("/api/v10/webhooks/1200000000000000000/fake-interaction-token", request.getTarget());
    assertNull(request.getHeaders().get("Authorization"));
  }

  @Test
  void waitsRetryAfterFromBodyOn429ThenSucceeds() throws Exception {
    discord.enqueue(rateLimited("{\"message\":\"You are being rate limited.\",\"retry_after\":1.25,\"global\":false}",
        "Retry-After", "2", "X-RateLimit-Scope", "user"));
    discord.enqueue(ok("{\"id\":\"4\"}"));

    assertEquals("4", client.createMessage(CHANNEL, message(), BUDGET).path("id").asText());

    assertEquals(2, discord.getRequestCount());
    assertEquals(List.of(Duration.ofMillis(1250)), time.sleeps(), "the body's retry_after wins over the header");
  }

  @Test
  void usesRetryAfterHeaderWhenBodyHasNone() throws Exception {
    discord.enqueue(rateLimited("<html>slow down</html>", "Retry-After", "3"));
    discord.enqueue(ok("{}"));

    client.createMessage(CHANNEL, message(), BUDGET);

    assertEquals(List.of(Duration.ofSeconds(3)), time.sleeps());
  }

  @Test
  void globalRateLimitPausesEveryRoute() throws Exception {
    discord.enqueue(rateLimited("{\"message\":\"global\",\"retry_after\":5,\"global\":true}", "X-RateLimit-Global", "true",
        "X-RateLimit-Scope", "global"));
    discord.enqueue(ok("{}"));
    discord.enqueue(ok("[]"));

    client.createMessage(CHANNEL, message(), BUDGET);
    time.advance(Duration.ofSeconds(-4)); // pretend we come back 1 s after the global 429 began
    client.getCommands("1200000000000000000", Optional.empty(), BUDGET);

    assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(4)), time.sleeps(), "the other route waited out the global pause too");
  }

  @Test
  void waitsBeforeSendingWhenBucketIsEmpty() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(200).body("{\"id\":\"5\"}")
        .setHeader("X-RateLimit-Limit", "5").setHeader("X-RateLimit-Remaining", "0")
        .setHeader("X-RateLimit-Reset-After", "2.5").setHeader("X-RateLimit-Bucket", "abcd1234").build());
    discord.enqueue(ok("{\"id\":\"6\"}"));

    client.createMessage(CHANNEL, message(), BUDGET);
    client.createMessage(CHANNEL, message(), BUDGET);

    assertEquals(List.of(Duration.ofMillis(2500)), time.sleeps(), "the second message waited for the bucket to reset");
    assertEquals(2, discord.getRequestCount(), "and was then sent, without collecting a 429");
  }

  @Test
  void emptyBucketOfOneChannelDoesNotDelayAnother() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(200).body("{}")
        .setHeader("X-RateLimit-Remaining", "0").setHeader("X-RateLimit-Reset-After", "2.5")
        .setHeader("X-RateLimit-Bucket", "abcd1234").build());
    discord.enqueue(ok("{}"));

    client.createMessage(CHANNEL, message(), BUDGET);
    client.createMessage("999999999999999999", message(), BUDGET);

    assertEquals(List.of(), time.sleeps(), "buckets are split per channel");
  }

  @Test
  void refusesToSendWhenTheRateLimitWaitPassesTheBudget() throws Exception {
    discord.enqueue(rateLimited("{\"retry_after\":60,\"global\":false}"));

    DiscordException error = assertThrows(DiscordException.class, () -> client.createMessage(CHANNEL, message(), Duration.ofSeconds(5)));

    assertEquals(DiscordException.Kind.RATE_LIMITED, error.kind());
    assertEquals(1, discord.getRequestCount(), "no second request into a known rate limit");
    assertEquals(List.of(), time.sleeps());
  }

  @Test
  void retriesServerErrorWithBackoffThenSucceeds() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(502).body("gateway unavailable").build());
    discord.enqueue(new MockResponse.Builder().code(500).body("{\"message\":\"oops\",\"code\":0}").build());
    discord.enqueue(ok("{\"id\":\"7\"}"));

    assertEquals("7", client.createMessage(CHANNEL, message(), BUDGET).path("id").asText());

    assertEquals(3, discord.getRequestCount());
    List<Duration> sleeps = time.sleeps();
    assertEquals(2, sleeps.size());
    assertTrue(sleeps.get(0).toMillis() >= 250 && sleeps.get(0).toMillis() < 500, "first backoff 250 ms + jitter: " + sleeps);
    assertTrue(sleeps.get(1).toMillis() >= 500 && sleeps.get(1).toMillis() < 1000, "second backoff 500 ms + jitter: " + sleeps);
  }

  @Test
  void givesUpAfterThreeServerErrors() {
    for (int i = 0; i < 3; i++) {
      discord.enqueue(new MockResponse.Builder().code(503).body("").build());
    }

    DiscordException error = assertThrows(DiscordException.class, () -> client.createMessage(CHANNEL, message(), BUDGET));

    assertEquals(DiscordException.Kind.SERVER_ERROR, error.kind());
    assertEquals(3, discord.getRequestCount());
  }

  @Test
  void retriesAfterATimeoutThenSucceeds() throws Exception {
    DiscordClient quick = client(Clock.systemUTC(), new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(300)));
    discord.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body("{}").build());
    discord.enqueue(ok("{\"id\":\"8\"}"));

    assertEquals("8", quick.createMessage(CHANNEL, message(), Duration.ofSeconds(5)).path("id").asText());

    assertEquals(2, discord.getRequestCount());
  }

  @Test
  void timesOutWithinTheBudget() {
    // Attempts may take 4 s each and three are allowed; the budget is 400 ms, and Discord answers after 30 s.
    DiscordClient quick = client(Clock.systemUTC(), new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(4)));
    for (int i = 0; i < 3; i++) {
      discord.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body("{}").build());
    }

    DiscordException error = assertThrows(DiscordException.class, () -> quick.createMessage(CHANNEL, message(), Duration.ofMillis(400)));

    assertEquals(DiscordException.Kind.TIMEOUT, error.kind());
    assertEquals(1, discord.getRequestCount(), "the first attempt used up the budget, and no retry began after it");
  }

  @Test
  void surfacesDiscordErrorCodeAndMessageWithoutRetrying() {
    discord.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
        .body("{\"message\":\"Invalid Form Body\",\"code\":50035,\"errors\":{\"content\":{}}}").build());

    DiscordException error = assertThrows(DiscordException.class, () -> client.createMessage(CHANNEL, message(), BUDGET));

    assertEquals(DiscordException.Kind.INVALID_REQUEST, error.kind());
    assertEquals(Optional.of(50035), error.discordCode());
    assertEquals(Optional.of(400), error.httpStatus());
    assertEquals("Discord answered HTTP 400 to POST /channels/{channel_id}/messages (code 50035: Invalid Form Body)", error.getMessage());
    assertEquals(1, discord.getRequestCount());
  }

  @Test
  void stopsOnUnauthorized() {
    discord.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"401: Unauthorized\",\"code\":0}").build());

    DiscordException error = assertThrows(DiscordException.class, () -> client.createMessage(CHANNEL, message(), BUDGET));

    assertEquals(DiscordException.Kind.UNAUTHORIZED, error.kind());
    assertEquals(1, discord.getRequestCount());
  }

  @Test
  void unknownWebhookIsNotRetried() {
    discord.enqueue(new MockResponse.Builder().code(404).body("{\"message\":\"Unknown Webhook\",\"code\":10015}").build());

    DiscordException error = assertThrows(DiscordException.class,
        () -> client.editOriginalResponse("1", "fake-expired-token", message(), BUDGET));

    assertEquals(Optional.of(10015), error.discordCode());
    assertFalse(error.getMessage().contains("fake-expired-token"), "the interaction token never appears in errors");
    assertEquals(1, discord.getRequestCount());
  }

  @Test
  void needsTheBotTokenForBotRoutes() {
    DiscordClient tokenless = new DiscordClient(http, discord.url("/api/v10").toString(), Optional.empty(), "1", time, time, new Random(0));

    DiscordException error = assertThrows(DiscordException.class, () -> tokenless.createMessage(CHANNEL, message(), BUDGET));

    assertEquals(DiscordException.Kind.NOT_CONFIGURED, error.kind());
    assertEquals(0, discord.getRequestCount());
  }

  @Test
  void neverLogsTheTokens() throws Exception {
    discord.enqueue(new MockResponse.Builder().code(502).body("").build());
    discord.enqueue(rateLimited("{\"retry_after\":0.1}"));
    discord.enqueue(ok("{}"));

    try (LogCapture logs = new LogCapture()) {
      assertThrows(DiscordException.class, () -> client.editOriginalResponse("1", "fake-interaction-secret", message(), Duration.ofMillis(1)));
      client.editOriginalResponse("1", "fake-interaction-secret", message(), BUDGET);

      assertFalse(logs.text().contains(botToken));
      assertFalse(logs.text().contains("fake-interaction-secret"), logs.text());
      assertTrue(logs.text().contains("PATCH /webhooks/{application_id}/{token}/messages/@original"), logs.text());
    }
  }

  @Test
  void readsTheBotUserAndApplicationWithTheBotToken() throws Exception {
    discord.enqueue(ok("{\"id\":\"1300\",\"username\":\"valine\",\"bot\":true}"));
    discord.enqueue(ok("{\"id\":\"1200\",\"verify_key\":\"ab12\"}"));

    assertEquals("valine", client.currentUser(BUDGET).path("username").asText());
    assertEquals("ab12", client.currentApplication(BUDGET).path("verify_key").asText());

    RecordedRequest user = discord.takeRequest();
    assertEquals("GET", user.getMethod());
    assertEquals("/api/v10/users/@me", user.getUrl().encodedPath());
    assertEquals("Bot " + botToken, user.getHeaders().get("Authorization"));
    assertEquals("/api/v10/applications/@me", discord.takeRequest().getUrl().encodedPath());
  }

  @Test
  void readsAChannelTheBotMemberAndTheGuildRoles() throws Exception {
    discord.enqueue(ok("{\"id\":\"" + CHANNEL + "\",\"guild_id\":\"290\"}"));
    discord.enqueue(ok("{\"roles\":[\"7\"]}"));
    discord.enqueue(ok("[{\"id\":\"290\",\"permissions\":\"1024\"}]"));

    assertEquals("290", client.channel(CHANNEL, BUDGET).path("guild_id").asText());
    assertEquals("7", client.guildMember("290", "1300", BUDGET).path("roles").path(0).asText());
    assertEquals("1024", client.guildRoles("290", BUDGET).path(0).path("permissions").asText());

    assertEquals("/api/v10/channels/" + CHANNEL, discord.takeRequest().getUrl().encodedPath());
    assertEquals("/api/v10/guilds/290/members/1300", discord.takeRequest().getUrl().encodedPath());
    assertEquals("/api/v10/guilds/290/roles", discord.takeRequest().getUrl().encodedPath());
  }

  @Test
  void aChannelTheBotCannotSeeIsForbidden() {
    discord.enqueue(new MockResponse.Builder().code(403).setHeader("Content-Type", "application/json")
        .body("{\"message\":\"Missing Access\",\"code\":50001}").build());

    DiscordException error = assertThrows(DiscordException.class, () -> client.channel(CHANNEL, BUDGET));

    assertEquals(DiscordException.Kind.FORBIDDEN, error.kind());
    assertEquals(Optional.of(50001), error.discordCode());
    assertEquals(1, discord.getRequestCount());
  }
}
