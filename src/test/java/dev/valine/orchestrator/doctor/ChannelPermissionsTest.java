package dev.valine.orchestrator.doctor;

import static dev.valine.orchestrator.doctor.ChannelPermissions.ADMINISTRATOR;
import static dev.valine.orchestrator.doctor.ChannelPermissions.EMBED_LINKS;
import static dev.valine.orchestrator.doctor.ChannelPermissions.FOR_ALERTS;
import static dev.valine.orchestrator.doctor.ChannelPermissions.SEND_MESSAGES;
import static dev.valine.orchestrator.doctor.ChannelPermissions.VIEW_CHANNEL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discord's permission computation, on the examples its docs walk through. */
class ChannelPermissionsTest {
  private static final String GUILD = "100";
  private static final String BOT = "200";
  private static final String ROLE = "300";

  private static JsonNode json(String text) throws Exception {
    return Jackson.parse(text);
  }

  private static long compute(long everyone, long role, String overwrites) throws Exception {
    return ChannelPermissions.compute(GUILD, BOT, json("[\"" + ROLE + "\"]"),
        json("[{\"id\":\"" + GUILD + "\",\"permissions\":\"" + everyone + "\"},{\"id\":\"" + ROLE + "\",\"permissions\":\"" + role + "\"}]"),
        json(overwrites));
  }

  @Test
  void rolesAddUpWhenNoOverwriteApplies() throws Exception {
    long permissions = compute(VIEW_CHANNEL, SEND_MESSAGES | EMBED_LINKS, "[]");

    assertEquals(List.of(), ChannelPermissions.missing(permissions, FOR_ALERTS));
  }

  @Test
  void anEveryoneOverwriteHidesTheChannelAndARoleOverwriteShowsItAgain() throws Exception {
    String hidden = "[{\"id\":\"" + GUILD + "\",\"type\":0,\"allow\":\"0\",\"deny\":\"" + VIEW_CHANNEL + "\"}]";
    String shownToRole = "[{\"id\":\"" + GUILD + "\",\"type\":0,\"allow\":\"0\",\"deny\":\"" + VIEW_CHANNEL + "\"},"
        + "{\"id\":\"" + ROLE + "\",\"type\":0,\"allow\":\"" + VIEW_CHANNEL + "\",\"deny\":\"0\"}]";

    assertEquals(List.of("View Channel", "Send Messages", "Embed Links"),
        ChannelPermissions.missing(compute(VIEW_CHANNEL, SEND_MESSAGES | EMBED_LINKS, hidden), FOR_ALERTS));
    assertEquals(List.of(), ChannelPermissions.missing(compute(VIEW_CHANNEL, SEND_MESSAGES | EMBED_LINKS, shownToRole), FOR_ALERTS));
  }

  @Test
  void aMemberOverwriteComesLast() throws Exception {
    String overwrites = "[{\"id\":\"" + ROLE + "\",\"type\":0,\"allow\":\"" + EMBED_LINKS + "\",\"deny\":\"0\"},"
        + "{\"id\":\"" + BOT + "\",\"type\":1,\"allow\":\"0\",\"deny\":\"" + EMBED_LINKS + "\"}]";

    assertEquals(List.of("Embed Links"), ChannelPermissions.missing(compute(VIEW_CHANNEL | SEND_MESSAGES, 0, overwrites), FOR_ALERTS));
  }

  @Test
  void administratorOverridesEveryOverwrite() throws Exception {
    String denyAll = "[{\"id\":\"" + GUILD + "\",\"type\":0,\"allow\":\"0\",\"deny\":\"" + (VIEW_CHANNEL | SEND_MESSAGES) + "\"}]";

    assertEquals(List.of(), ChannelPermissions.missing(compute(0, ADMINISTRATOR, denyAll), FOR_ALERTS));
  }
}
