package dev.valine.orchestrator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.SecretRedactor;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertMessageTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private final AlertMessage renderer = new AlertMessage(new SecretRedactor(), "prod");

  private static Alert alert(Severity severity, String detail) {
    return new Alert(severity, "Command /status failed", detail, Optional.of("trace-1"), Optional.of("status"),
        Optional.of("53908232506183680"), Optional.of("IllegalStateException"), Map.of("run", "https://github.com/o/r/actions/runs/1"));
  }

  @Test
  void rendersOneMessageWithAnEmbed() {
    JsonNode message = renderer.render(alert(Severity.CRITICAL, "disk full"), 0, NOW);

    JsonNode embed = message.path("embeds").get(0);
    assertEquals("🔴 **CRITICAL** · Command /status failed", message.path("content").asText());
    assertEquals("🔴 CRITICAL: Command /status failed", embed.path("title").asText());
    assertEquals("disk full", embed.path("description").asText());
    assertEquals(0xE74C3C, embed.path("color").asInt());
    assertEquals("2026-11-28T06:00:00Z", embed.path("timestamp").asText());
    assertEquals("`trace-1`", field(embed, "Trace"));
    assertEquals("/status", field(embed, "Command"));
    assertEquals("<@53908232506183680> (`53908232506183680`)", field(embed, "User"));
    assertEquals("IllegalStateException", field(embed, "Error type"));
    assertEquals("prod", field(embed, "Stage"));
    assertEquals("[run](<https://github.com/o/r/actions/runs/1>)", field(embed, "Links"));
    assertEquals(Jackson.object().set("parse", Jackson.array()), message.path("allowed_mentions"));
  }

  @Test
  void colourAndEmojiFollowSeverity() {
    assertEquals(0xE67E22, renderer.render(alert(Severity.ERROR, "x"), 0, NOW).path("embeds").get(0).path("color").asInt());
    assertTrue(renderer.render(alert(Severity.WARNING, "x"), 0, NOW).path("content").asText().startsWith("🟡"));
    assertTrue(renderer.render(alert(Severity.INFO, "x"), 0, NOW).path("content").asText().startsWith("🔵"));
  }

  @Test
  void saysHowManySimilarAlertsWereSuppressed() {
    JsonNode embed = renderer.render(alert(Severity.CRITICAL, "x"), 7, NOW).path("embeds").get(0);

    assertEquals("7 similar alerts were held back in the previous window", field(embed, "Suppressed"));
  }

  @Test
  void redactsSecretsInTheAlert() {
    String text = Jackson.text(renderer.render(alert(Severity.CRITICAL, "POST failed: Authorization: Bot abcdefghijklmnopqrstuvwx"), 0, NOW));

    assertFalse(text.contains("abcdefghijklmnopqrstuvwx"), text);
    assertTrue(text.contains("Authorization: ***REDACTED***"));
  }

  @Test
  void fitsDiscordEmbedLimits() {
    Alert huge = new Alert(Severity.ERROR, "T".repeat(1000), "D".repeat(10_000), Optional.of("trace"), Optional.of("status"),
        Optional.empty(), Optional.of("E".repeat(3000)), Map.of());

    JsonNode embed = renderer.render(huge, 0, NOW).path("embeds").get(0);

    assertTrue(embed.path("title").asText().length() <= 256);
    assertTrue(embed.path("description").asText().length() <= 4096);
    assertTrue(field(embed, "Error type").length() <= 1024);
  }

  @Test
  void nonceIsShortAndDiffersBetweenAlerts() {
    String first = AlertMessage.nonce(alert(Severity.CRITICAL, "x"), NOW);

    assertTrue(first.length() <= 25, first);
    assertEquals(first, AlertMessage.nonce(alert(Severity.CRITICAL, "x"), NOW), "stable across retries of one alert");
    assertNotEquals(first, AlertMessage.nonce(alert(Severity.CRITICAL, "x"), NOW.plusSeconds(1)));
  }

  private static String field(JsonNode embed, String name) {
    for (JsonNode field : embed.path("fields")) {
      if (field.path("name").asText().equals(name)) {
        return field.path("value").asText();
      }
    }
    return "";
  }
}
