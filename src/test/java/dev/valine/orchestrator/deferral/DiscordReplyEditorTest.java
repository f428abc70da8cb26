package dev.valine.orchestrator.deferral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscordReplyEditorTest {
  private static final Duration BUDGET = Duration.ofSeconds(10);
  private static final MockResponse UNKNOWN_MESSAGE = json(404, "{\"message\":\"Unknown Message\",\"code\":10008}");

  private final MockWebServer discord = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));
  private final String token = "fake-interaction-token-" + Long.toHexString(new Random().nextLong());
  private DiscordReplyEditor editor;

  @BeforeEach
  void start() throws Exception {
    discord.start();
    DiscordClient client = new DiscordClient(new OkHttpClient(), discord.url("/api/v10").toString(), Optional.empty(), "1", time,
        time, new Random(0));
    editor = new DiscordReplyEditor(() -> client, time, time);
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  private Interaction interaction() {
    return new Interaction("1300000000000000001", "1200000000000000000", InteractionType.APPLICATION_COMMAND, token,
        Optional.empty(), Optional.empty(), Optional.of(new DiscordUser("53908232506183680", "mason")), Optional.of("status"),
        List.of(), Optional.empty());
  }

  @Test
  void editsTheOriginalReplyWithContentAndNoMentions() throws Exception {
    discord.enqueue(json(200, "{\"id\":\"1\"}"));

    editor.edit(interaction(), InteractionResponse.message("3 runs"), BUDGET);

    RecordedRequest request = discord.takeRequest();
    assertEquals("PATCH", request.getMethod());
    assertEquals("/api/v10/webhooks/1200000000000000000/" + token + "/messages/@original", request.getUrl().encodedPath());
    assertEquals(Jackson.parse("{\"content\":\"3 runs\",\"allowed_mentions\":{\"parse\":[]}}"), Jackson.parse(request.getBody().utf8()));
  }

  @Test
  void waitsForADeferralDiscordHasNotTakenInYet() throws Exception {
    discord.enqueue(UNKNOWN_MESSAGE);
    discord.enqueue(UNKNOWN_MESSAGE);
    discord.enqueue(json(200, "{\"id\":\"1\"}"));

    editor.edit(interaction(), InteractionResponse.message("ok"), BUDGET);

    assertEquals(3, discord.getRequestCount());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), time.sleeps());
  }

  @Test
  void givesUpOnAnExpiredTokenAtOnce() {
    discord.enqueue(json(404, "{\"message\":\"Unknown Webhook\",\"code\":10015}"));

    DiscordException error = assertThrows(DiscordException.class,
        () -> editor.edit(interaction(), InteractionResponse.message("ok"), BUDGET));

    assertEquals(Optional.of(10015), error.discordCode());
    assertEquals(1, discord.getRequestCount());
  }

  @Test
  void givesUpOnAMissingReplyAfterAFewSeconds() {
    for (int i = 0; i < 10; i++) {
      discord.enqueue(UNKNOWN_MESSAGE);
    }

    assertThrows(DiscordException.class, () -> editor.edit(interaction(), InteractionResponse.message("ok"), BUDGET));

    assertTrue(time.sleeps().stream().mapToLong(Duration::toMillis).sum() <= 3_000, time.sleeps().toString());
  }

  @Test
  void seesThatAReplyStillThinkingIsUnanswered() {
    discord.enqueue(json(200, "{\"id\":\"1\",\"flags\":128}"));

    assertFalse(editor.alreadyAnswered(interaction(), BUDGET));
  }

  @Test
  void seesThatAnEditedReplyIsAnswered() {
    discord.enqueue(json(200, "{\"id\":\"1\",\"flags\":0,\"content\":\"3 runs\"}"));

    assertTrue(editor.alreadyAnswered(interaction(), BUDGET));
  }

  @Test
  void assumesUnansweredWhenTheReplyCannotBeRead() {
    discord.enqueue(json(401, "{\"message\":\"401: Unauthorized\",\"code\":0}"));

    assertFalse(editor.alreadyAnswered(interaction(), BUDGET), "editing is idempotent; going ahead cannot post twice");
  }
}
