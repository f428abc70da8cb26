package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.secrets.SecretUnavailableException;
import dev.valine.orchestrator.secrets.Tokens;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.SecretsManagerStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A bot token from Secrets Manager: read again once after Discord's 401, and sent once more only if it changed. */
class DiscordClientTokenRenewalTest {
  private static final Duration BUDGET = Duration.ofSeconds(30);
  private static final MockResponse UNAUTHORIZED = new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
      .body("{\"message\": \"401: Unauthorized\", \"code\": 0}").build();
  private static final MockResponse ME = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
      .body("{\"id\": \"1\", \"username\": \"valine\", \"bot\": true}").build();

  private final MockWebServer discord = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T09:00:00Z"));
  private final String oldToken = "fake-old-bot-" + System.nanoTime();
  private final String newToken = "fake-new-bot-" + System.nanoTime();
  private SecretsManagerStandIn secretsManager;

  @BeforeEach
  void start() throws Exception {
    discord.start();
    secretsManager = new SecretsManagerStandIn().holds(Map.of("botToken", oldToken));
  }

  @AfterEach
  void stop() {
    discord.close();
    secretsManager.close();
  }

  private DiscordClient client(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(Map.of("SECRET_ID", "valine/test"));
    all.putAll(env);
    Tokens tokens = Tokens.forApp(Config.fromEnvironment(all, Config.PublicKey.OPTIONAL), new AwsEnvironment(secretsManager.awsEnvironment()),
        time);
    return new DiscordClient(new OkHttpClient(), discord.url("/api/v10").toString(), tokens.discord(), "1", time, time, new Random(0),
        RetryPolicy.DEFAULT);
  }

  private String authorization() throws InterruptedException {
    return discord.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization");
  }

  @Test
  void aRotatedTokenIsReadAgainAfterA401AndTheRequestSentOnceMoreWithIt() throws Exception {
    DiscordClient client = client(Map.of());
    discord.enqueue(ME);
    client.currentUser(BUDGET);
    secretsManager.holds(Map.of("botToken", newToken));
    discord.enqueue(UNAUTHORIZED);
    discord.enqueue(ME);

    client.currentUser(BUDGET);

    assertEquals("Bot " + oldToken, authorization());
    assertEquals("Bot " + oldToken, authorization(), "the cached token, rejected");
    assertEquals("Bot " + newToken, authorization(), "the retry carries the token read again");
    assertEquals(2, secretsManager.reads());
  }

  @Test
  void aTokenStillRejectedAfterAFreshReadIsReportedNotRetriedAgain() throws Exception {
    DiscordClient client = client(Map.of());
    secretsManager.holds(Map.of("botToken", newToken));
    discord.enqueue(UNAUTHORIZED);
    discord.enqueue(UNAUTHORIZED);
    discord.enqueue(UNAUTHORIZED);

    DiscordException error = assertThrows(DiscordException.class, () -> client.currentUser(BUDGET));

    assertEquals(DiscordException.Kind.UNAUTHORIZED, error.kind());
    assertEquals(1, discord.getRequestCount(), "the secret still holds the rejected token: nothing to retry with");
    assertEquals(2, secretsManager.reads(), "one read for the request, one fresh read after the 401");
  }

  @Test
  void aRenewedTokenThatIsAlsoRejectedEndsAfterTwoRequests() throws Exception {
    DiscordClient client = client(Map.of());
    discord.enqueue(ME);
    client.currentUser(BUDGET);
    secretsManager.holds(Map.of("botToken", newToken));
    discord.enqueue(UNAUTHORIZED);
    discord.enqueue(UNAUTHORIZED);
    discord.enqueue(ME);

    assertThrows(DiscordException.class, () -> client.currentUser(BUDGET));

    assertEquals(3, discord.getRequestCount(), "the first use, then the rejected request and its one retry: no loop");
    assertEquals(2, secretsManager.reads());
  }

  @Test
  void aTokenFromTheEnvironmentIsNeverReadAgain() throws Exception {
    DiscordClient client = client(Map.of("DISCORD_BOT_TOKEN", oldToken));
    discord.enqueue(UNAUTHORIZED);

    assertThrows(DiscordException.class, () -> client.currentUser(BUDGET));

    assertEquals(1, discord.getRequestCount());
    assertEquals(0, secretsManager.reads());
  }

  @Test
  void aSecretThatCannotBeReadSendsNothingAndSaysWhatToDo() {
    DiscordClient client = client(Map.of());
    secretsManager.failsWith("AccessDeniedException");

    DiscordException error = assertThrows(DiscordException.class, () -> client.createMessage("645027906669510667",
        dev.valine.orchestrator.json.Jackson.object().put("content", "x"), BUDGET));

    assertEquals(DiscordException.Kind.CREDENTIALS_UNAVAILABLE, error.kind(), "not UNAUTHORIZED: Discord said nothing");
    assertTrue(error.getCause() instanceof SecretUnavailableException, String.valueOf(error.getCause()));
    assertTrue(error.getMessage().contains("secret `valine/test`: AccessDeniedException"), error.getMessage());
    assertEquals(0, discord.getRequestCount());
    assertFalse(error.getMessage().contains(oldToken));
  }

  @Test
  void a401WhoseSecretThenCannotBeReadIsCredentialsUnavailableAndNotSentAgain() throws Exception {
    DiscordClient client = client(Map.of());
    discord.enqueue(ME);
    client.currentUser(BUDGET);
    secretsManager.failsWith("ThrottlingException");
    discord.enqueue(UNAUTHORIZED);
    discord.enqueue(ME);

    DiscordException error = assertThrows(DiscordException.class, () -> client.currentUser(BUDGET));

    assertEquals(DiscordException.Kind.CREDENTIALS_UNAVAILABLE, error.kind());
    assertTrue(error.getMessage().contains("secret `valine/test`: ThrottlingException"), error.getMessage());
    assertEquals(2, discord.getRequestCount(), "the first use and the rejected request: not sent again");
  }

  @Test
  void routesWithoutTheBotTokenNeverReadTheSecret() throws Exception {
    DiscordClient client = client(Map.of());
    secretsManager.failsWith("AccessDeniedException");
    discord.enqueue(ME);

    client.editOriginalResponse("1", "fake-interaction-token", dev.valine.orchestrator.json.Jackson.object().put("content", "x"), BUDGET);

    assertEquals(0, secretsManager.reads(), "follow-ups are authorised by the interaction token");
  }
}
