package dev.valine.orchestrator.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local server on port 0, driven over real HTTP like Discord would. */
class LocalServerTest {
  private final Signer discord = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private LocalServer server;

  @BeforeEach
  void start() throws IOException {
    App app = TestApps.app(discord, Map.of());
    server = LocalServer.start(app.endpoint(), 0, "test", "dev", Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(byte[] body, String signature, String timestamp) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUrl().resolve("/interactions"))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header("X-Signature-Ed25519", signature).header("X-Signature-Timestamp", timestamp);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signedPost(byte[] body) throws Exception {
    String timestamp = discord.now();
    return post(body, discord.sign(timestamp, body), timestamp);
  }

  @Test
  void answersHealthCheck() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.baseUrl().resolve("/health")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertEquals("ok", Jackson.parse(response.body()).path("status").asText());
    assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
  }

  @Test
  void answersSignedPingWithPong() throws Exception {
    HttpResponse<String> response = signedPost(Jackson.bytes(interactions.ping()));

    assertEquals(200, response.statusCode());
    assertEquals(Jackson.parse("{\"type\":1}"), Jackson.parse(response.body()));
    assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
  }

  @Test
  void rejectsUnsignedRequestWith401() throws Exception {
    HttpResponse<String> response = post(Jackson.bytes(interactions.ping()), null, null);

    assertEquals(401, response.statusCode());
    assertEquals("invalid request signature", Jackson.parse(response.body()).path("error").asText());
  }

  @Test
  void rejectsSignedGarbageWith400() throws Exception {
    assertEquals(400, signedPost("{not json".getBytes()).statusCode());
  }

  @Test
  void rejectsOversizedBodyWith413() throws Exception {
    assertEquals(413, post(new byte[200 * 1024], "00", "1").statusCode());
  }

  @Test
  void answersUnknownPathWith404AndWrongMethodWith405() throws Exception {
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.baseUrl().resolve("/nope")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(server.baseUrl().resolve("/interactions")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(404, missing.statusCode());
    assertEquals(405, wrongMethod.statusCode());
  }

  @Test
  void answersCommandsInGuildAndDirectMessage() throws Exception {
    JsonNode guild = Jackson.parse(signedPost(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of()))).body());
    JsonNode dm = Jackson.parse(signedPost(Jackson.bytes(
        new InteractionBuilder(new SecureRandom()).directMessage(true).command("status", Optional.empty(), Map.of()))).body());

    assertTrue(guild.path("data").path("content").asText().contains("GitHub is not configured"));
    assertTrue(dm.path("data").path("content").asText().contains("GitHub is not configured"));
  }

  @Test
  void serves200ConcurrentRequests() throws Exception {
    int requests = 200;
    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        // Alternate PINGs and commands so both paths run concurrently.
        byte[] body = Jackson.bytes(i % 2 == 0 ? interactions.ping() : interactions.command("nope-" + i, Optional.empty(), Map.of()));
        calls.add(() -> signedPost(body));
      }

      List<Future<HttpResponse<String>>> results = clients.invokeAll(calls);

      for (int i = 0; i < requests; i++) {
        HttpResponse<String> response = results.get(i).get();
        assertEquals(200, response.statusCode(), "request " + i);
        JsonNode body = Jackson.parse(response.body());
        if (i % 2 == 0) {
          assertEquals(1, body.path("type").asInt(), "request " + i);
        } else {
          assertTrue(body.path("data").path("content").asText().contains("/nope-" + i), "request " + i + " got another's answer");
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void answersStatusFromGitHubOnLoopback() throws Exception {
    try (mockwebserver3.MockWebServer github = new mockwebserver3.MockWebServer()) {
      github.start();
      github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(42, "completed", "success", Instant.now(), Duration.ofSeconds(75))));
      App app = TestApps.app(discord, Map.of("GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/app",
          "STATUS_WORKFLOWS", "deploy.yml"));
      try (LocalServer withGitHub = LocalServer.start(app.endpoint(), 0, "test", "dev", Clock.systemUTC())) {
        byte[] body = Jackson.bytes(interactions.command("status", Optional.empty(), Map.of()));
        String timestamp = discord.now();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(withGitHub.baseUrl().resolve("/interactions"))
            .header("X-Signature-Ed25519", discord.sign(timestamp, body)).header("X-Signature-Timestamp", timestamp)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(Jackson.parse(response.body()).path("data").path("content").asText().contains("✅ [#42]"), response.body());
        assertTrue(github.takeRequest().getTarget().startsWith("/repos/octo-org/app/actions/workflows/deploy.yml/runs"));
      }
    }
  }

  @Test
  void baseUrlIsLoopback() {
    assertEquals("127.0.0.1", URI.create(server.baseUrl().toString()).getHost());
  }
}
