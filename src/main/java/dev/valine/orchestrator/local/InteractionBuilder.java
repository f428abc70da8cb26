package dev.valine.orchestrator.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.command.OptionType;
import dev.valine.orchestrator.json.Jackson;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds interaction bodies shaped like Discord's
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object)
 * for {@code invoke} and tests: a PING, or a slash command in a guild or a DM with typed options. Ids are fresh random snowflakes and
 * the token is an obviously fake random string.
 */
public final class InteractionBuilder {
  private static final String LOCAL_GUILD = "100000000000000001";
  private static final String LOCAL_CHANNEL = "100000000000000002";
  private static final String LOCAL_APPLICATION = "100000000000000003";

  private final SecureRandom random;
  private String userId = "100000000000000004";
  private boolean directMessage;
  private List<String> roles = List.of();

  public InteractionBuilder(SecureRandom random) {
    this.random = random;
  }

  public InteractionBuilder user(String id) {
    this.userId = id;
    return this;
  }

  /** The member's guild roles, for commands granted by role ({@code OPERATOR_ROLE_IDS}, {@code ADMIN_ROLE_IDS}). */
  public InteractionBuilder roles(List<String> roles) {
    this.roles = List.copyOf(roles);
    return this;
  }

  public InteractionBuilder directMessage(boolean directMessage) {
    this.directMessage = directMessage;
    return this;
  }

  public ObjectNode ping() {
    return Jackson.object().put("id", snowflake()).put("application_id", LOCAL_APPLICATION).put("type", 1)
        .put("token", fakeToken()).put("version", 1);
  }

  /**
   * @param definition the command's definition when known, to send each option with its Discord type;
   *     empty sends every option as a string
   * @param options name=value pairs as typed on the command line
   * @throws IllegalArgumentException if a value does not fit its option's type
   */
  public ObjectNode command(String name, Optional<CommandDefinition> definition, Map<String, String> options) {
    ObjectNode interaction = Jackson.object().put("id", snowflake()).put("application_id", LOCAL_APPLICATION)
        .put("type", 2).put("token", fakeToken()).put("version", 1).put("channel_id", LOCAL_CHANNEL)
        .put("locale", "en-US");
    ObjectNode user = Jackson.object().put("id", userId).put("username", "local-user").put("global_name", "Local User");
    if (directMessage) {
      interaction.set("user", user);
      interaction.put("context", 1);
    } else {
      interaction.put("guild_id", LOCAL_GUILD).put("context", 0);
      ObjectNode member = interaction.putObject("member");
      member.set("user", user);
      ArrayNode memberRoles = member.putArray("roles");
      roles.forEach(memberRoles::add);
      member.put("permissions", "0");
    }
    ObjectNode data = interaction.putObject("data").put("id", snowflake()).put("name", name).put("type", 1);
    ArrayNode array = data.putArray("options");
    Map<String, OptionDefinition> declared = new LinkedHashMap<>();
    definition.ifPresent(d -> d.options().forEach(o -> declared.put(o.name(), o)));
    options.forEach((option, value) -> array.add(option(option, value, Optional.ofNullable(declared.get(option)))));
    return interaction;
  }

  private static ObjectNode option(String name, String value, Optional<OptionDefinition> definition) {
    OptionType type = definition.map(OptionDefinition::type).orElse(OptionType.STRING);
    ObjectNode option = Jackson.object().put("name", name).put("type", type.code());
    try {
      switch (type) {
        case INTEGER:
          return option.put("value", Long.parseLong(value));
        case NUMBER:
          return option.put("value", Double.parseDouble(value));
        case BOOLEAN:
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("option '" + name + "' takes true or false, got '" + value + "'");
          }
          return option.put("value", Boolean.parseBoolean(value));
        default:
          return option.put("value", value);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option '" + name + "' takes a number, got '" + value + "'", e);
    }
  }

  private String snowflake() {
    // 18-19 digits like a real snowflake; uniqueness is all that matters locally.
    return Long.toString(1_000_000_000_000_000_000L + Math.floorMod(random.nextLong(), 8_000_000_000_000_000_000L));
  }

  private String fakeToken() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return "fake-interaction-token-" + HexFormat.of().formatHex(bytes);
  }
}
