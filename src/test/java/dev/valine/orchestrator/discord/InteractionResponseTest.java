package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import org.junit.jupiter.api.Test;

class InteractionResponseTest {

  @Test
  void pongIsTypeOneOnly() throws Exception {
    assertEquals(Jackson.parse("{\"type\":1}"), InteractionResponse.pong().toJson());
  }

  @Test
  void messageNeverAllowsMentions() throws Exception {
    JsonNode json = InteractionResponse.message("hello <@123> @everyone").toJson();

    assertEquals(Jackson.parse("{\"type\":4,\"data\":{\"content\":\"hello <@123> @everyone\",\"allowed_mentions\":{\"parse\":[]}}}"), json);
  }

  @Test
  void ephemeralMessageSetsFlag64() {
    JsonNode json = InteractionResponse.ephemeral("only you").toJson();

    assertEquals(64, json.path("data").path("flags").asInt());
    assertTrue(json.path("data").path("allowed_mentions").path("parse").isArray());
  }

  @Test
  void deferredIsTypeFiveWithOnlyTheEphemeralFlag() throws Exception {
    assertEquals(Jackson.parse("{\"type\":5,\"data\":{\"flags\":64}}"), InteractionResponse.deferred(true).toJson());
    assertEquals(Jackson.parse("{\"type\":5}"), InteractionResponse.deferred(false).toJson());
  }

  @Test
  void cutsLongContentTo2000CharactersWithVisibleMarker() {
    String content = InteractionResponse.message("x".repeat(5000)).content();

    assertEquals(2000, content.length());
    assertTrue(content.endsWith(MessageText.TRUNCATION_MARKER));
  }

  @Test
  void leavesContentOfExactly2000CharactersAlone() {
    String text = "y".repeat(2000);

    assertEquals(text, InteractionResponse.message(text).content());
  }

  @Test
  void neverSplitsASurrogatePairWhenCutting() {
    // Each emoji is two UTF-16 chars; cut so the boundary would fall inside one.
    String text = "a" + "😀".repeat(1500);

    String fitted = MessageText.fit(text, 2000);

    assertTrue(fitted.length() <= 2000);
    String head = fitted.substring(0, fitted.length() - MessageText.TRUNCATION_MARKER.length());
    assertTrue(!Character.isHighSurrogate(head.charAt(head.length() - 1)), "ends on a lone high surrogate");
  }
}
