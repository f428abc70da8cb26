package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InteractionParserTest {
  private final InteractionParser parser = new InteractionParser();

  private Interaction parse(String json) throws MalformedInteractionException {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesPing() throws Exception {
    Interaction ping = parse("{\"type\":1,\"id\":\"1\",\"application_id\":\"2\",\"version\":1}");

    assertTrue(ping.isPing());
  }

  @Test
  void takesUserFromMemberInGuild() throws Exception {
    Interaction interaction = parse("{\"type\":2,\"id\":\"11\",\"application_id\":\"22\",\"token\":\"t\","
        + "\"guild_id\":\"33\",\"channel_id\":\"44\",\"member\":{\"user\":{\"id\":\"55\",\"username\":\"mason\"}},"
        + "\"data\":{\"id\":\"66\",\"name\":\"status\",\"type\":1}}");

    assertEquals(Optional.of(new DiscordUser("55", "mason")), interaction.user());
    assertEquals(Optional.of("33"), interaction.guildId());
    assertEquals(Optional.of("status"), interaction.commandName());
  }

  @Test
  void readsTheMembersRolesInAGuildAndNoneInADirectMessage() throws Exception {
    Interaction guild = parse("{\"type\":2,\"id\":\"11\",\"application_id\":\"22\",\"token\":\"t\",\"guild_id\":\"33\","
        + "\"member\":{\"user\":{\"id\":\"55\"},\"roles\":[\"77\",\"88\",9]},\"data\":{\"id\":\"66\",\"name\":\"status\",\"type\":1}}");
    Interaction direct = parse("{\"type\":2,\"id\":\"11\",\"application_id\":\"22\",\"token\":\"t\","
        + "\"user\":{\"id\":\"55\"},\"data\":{\"id\":\"66\",\"name\":\"status\",\"type\":1}}");
    Interaction oddRoles = parse("{\"type\":2,\"id\":\"11\",\"application_id\":\"22\",\"token\":\"t\",\"guild_id\":\"33\","
        + "\"member\":{\"user\":{\"id\":\"55\"},\"roles\":\"77\"},\"data\":{\"id\":\"66\",\"name\":\"status\",\"type\":1}}");

    assertEquals(List.of("77", "88"), guild.memberRoles(), "only string ids count");
    assertEquals(List.of(), direct.memberRoles());
    assertEquals(List.of(), oddRoles.memberRoles(), "roles that are not a list grant nothing");
  }

  @Test
  void takesUserFromTopLevelInDirectMessage() throws Exception {
    Interaction interaction = parse("{\"type\":2,\"id\":\"11\",\"application_id\":\"22\",\"token\":\"t\","
        + "\"channel_id\":\"44\",\"user\":{\"id\":\"77\",\"username\":\"dm-user\"},\"data\":{\"name\":\"status\"}}");

    assertEquals("77", interaction.user().orElseThrow().id());
    assertTrue(interaction.isDirectMessage());
  }

  @Test
  void readsTypedOptionsAndNestedSubcommands() throws Exception {
    Interaction interaction = parse("{\"type\":2,\"id\":\"1\",\"application_id\":\"2\",\"token\":\"t\","
        + "\"user\":{\"id\":\"3\"},\"data\":{\"name\":\"alerts\",\"options\":["
        + "{\"name\":\"count\",\"type\":4,\"value\":5},"
        + "{\"name\":\"mute\",\"type\":1,\"options\":[{\"name\":\"minutes\",\"type\":4,\"value\":30},"
        + "{\"name\":\"scope\",\"type\":3,\"value\":\"all\"}]}]}}");

    assertEquals(Optional.of(5L), interaction.option("count").flatMap(CommandOption::longValue));
    CommandOption mute = interaction.option("mute").orElseThrow();
    assertEquals(30L, mute.options().get(0).value());
    assertEquals(Optional.of("all"), mute.options().get(1).stringValue());
  }

  @Test
  void ignoresFieldsItDoesNotKnow() throws Exception {
    Interaction interaction = parse("{\"type\":2,\"id\":\"1\",\"application_id\":\"2\",\"token\":\"t\","
        + "\"user\":{\"id\":\"3\"},\"brand_new_field\":{\"x\":[1,2]},\"data\":{\"name\":\"status\",\"future\":true}}");

    assertEquals(Optional.of("status"), interaction.commandName());
  }

  @Test
  void rejectsBodyThatIsNotJson() {
    MalformedInteractionException error = assertThrows(MalformedInteractionException.class, () -> parse("type=1"));

    assertEquals("body is not valid JSON", error.getMessage());
  }

  @Test
  void rejectsJsonThatIsNotAnObject() {
    assertThrows(MalformedInteractionException.class, () -> parse("[1]"));
    assertThrows(MalformedInteractionException.class, () -> parse("\"ping\""));
  }

  @Test
  void rejectsMissingOrNonIntegerType() {
    assertEquals("field 'type' is missing or not an integer",
        assertThrows(MalformedInteractionException.class, () -> parse("{\"id\":\"1\"}")).getMessage());
    assertThrows(MalformedInteractionException.class, () -> parse("{\"type\":\"1\"}"));
    assertThrows(MalformedInteractionException.class, () -> parse("{\"type\":1.5}"));
  }

  @Test
  void rejectsUnknownType() {
    assertEquals("unknown interaction type 42",
        assertThrows(MalformedInteractionException.class, () -> parse("{\"type\":42}")).getMessage());
  }

  @Test
  void rejectsCommandWithoutUser() {
    MalformedInteractionException error = assertThrows(MalformedInteractionException.class,
        () -> parse("{\"type\":2,\"id\":\"1\",\"application_id\":\"2\",\"token\":\"t\",\"data\":{\"name\":\"s\"}}"));

    assertEquals("neither 'member.user' nor 'user' is present", error.getMessage());
  }

  @Test
  void rejectsCommandWithoutName() {
    MalformedInteractionException error = assertThrows(MalformedInteractionException.class,
        () -> parse("{\"type\":2,\"id\":\"1\",\"application_id\":\"2\",\"token\":\"t\",\"user\":{\"id\":\"3\"},\"data\":{}}"));

    assertEquals("field 'data.name' is missing or not a string", error.getMessage());
  }

  @Test
  void rejectsCommandWithoutToken() {
    assertThrows(MalformedInteractionException.class,
        () -> parse("{\"type\":2,\"id\":\"1\",\"application_id\":\"2\",\"user\":{\"id\":\"3\"},\"data\":{\"name\":\"s\"}}"));
  }

  @Test
  void hidesTokenInToString() throws Exception {
    Interaction interaction = parse("{\"type\":2,\"id\":\"1\",\"application_id\":\"2\",\"token\":\"secret-interaction-token\","
        + "\"user\":{\"id\":\"3\"},\"data\":{\"name\":\"status\"}}");

    assertTrue(!interaction.toString().contains("secret-interaction-token"), interaction.toString());
  }
}
