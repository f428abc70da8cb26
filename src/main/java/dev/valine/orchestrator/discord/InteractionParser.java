package dev.valine.orchestrator.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an interaction from the raw body
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
 * Unknown fields are ignored, so new Discord fields never break us; missing required ones are a {@link MalformedInteractionException}
 * whose message says which field.
 */
public final class InteractionParser {
  // Discord nests command -> group -> subcommand -> parameters; anything deeper is not from Discord.
  private static final int MAX_OPTION_DEPTH = 3;

  public Interaction parse(byte[] body) throws MalformedInteractionException {
    JsonNode root;
    try {
      root = Jackson.parse(body);
    } catch (IOException e) {
      throw new MalformedInteractionException("body is not valid JSON");
    }
    if (!root.isObject()) {
      throw new MalformedInteractionException("body is not a JSON object");
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.canConvertToInt() || !typeNode.isIntegralNumber()) {
      throw new MalformedInteractionException("field 'type' is missing or not an integer");
    }
    InteractionType type = InteractionType.of(typeNode.intValue())
        .orElseThrow(() -> new MalformedInteractionException("unknown interaction type " + typeNode.intValue()));

    if (type == InteractionType.PING) {
      return new Interaction(Jackson.text(root, "id").orElse(""), Jackson.text(root, "application_id").orElse(""),
          type, "", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
          Optional.empty());
    }

    String id = required(root, "id");
    String applicationId = required(root, "application_id");
    String token = required(root, "token");
    DiscordUser user = user(root);
    Optional<String> commandName = Optional.empty();
    List<CommandOption> options = List.of();
    if (type == InteractionType.APPLICATION_COMMAND || type == InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE) {
      JsonNode data = root.get("data");
      if (data == null || !data.isObject()) {
        throw new MalformedInteractionException("field 'data' is missing for a command interaction");
      }
      commandName = Optional.of(required(data, "name", "data.name"));
      options = options(data.get("options"), 1);
    }
    return new Interaction(id, applicationId, type, token, Jackson.text(root, "guild_id"),
        Jackson.text(root, "channel_id"), Optional.of(user), commandName, options, Jackson.text(root, "locale"), roles(root.get("member")));
  }

  /** The member's role ids; anything that is not a list of strings counts as no roles, which grants nothing. */
  private static List<String> roles(JsonNode member) {
    JsonNode roles = member == null ? null : member.get("roles");
    if (roles == null || !roles.isArray()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>(roles.size());
    roles.forEach(role -> {
      if (role.isTextual()) {
        ids.add(role.asText());
      }
    });
    return ids;
  }

  private static DiscordUser user(JsonNode root) throws MalformedInteractionException {
    // In a guild the invoker is member.user; in DMs and group DMs there is no member, only user.
    JsonNode member = root.get("member");
    JsonNode user = member != null && member.isObject() ? member.get("user") : root.get("user");
    if (user == null || !user.isObject()) {
      throw new MalformedInteractionException("neither 'member.user' nor 'user' is present");
    }
    String id = required(user, "id", "user.id");
    return new DiscordUser(id, Jackson.text(user, "username").orElse(""));
  }

  private static List<CommandOption> options(JsonNode array, int depth) throws MalformedInteractionException {
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw new MalformedInteractionException("field 'options' is not an array");
    }
    if (depth > MAX_OPTION_DEPTH) {
      throw new MalformedInteractionException("options are nested deeper than Discord allows");
    }
    List<CommandOption> result = new ArrayList<>(array.size());
    for (JsonNode option : array) {
      if (!option.isObject()) {
        throw new MalformedInteractionException("an option is not an object");
      }
      String name = required(option, "name", "option name");
      JsonNode typeNode = option.get("type");
      int type = typeNode != null && typeNode.isIntegralNumber() ? typeNode.intValue() : 0;
      result.add(new CommandOption(name, type, value(option.get("value")), options(option.get("options"), depth + 1)));
    }
    return result;
  }

  private static Object value(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.longValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value.asText();
  }

  private static String required(JsonNode node, String field) throws MalformedInteractionException {
    return required(node, field, field);
  }

  private static String required(JsonNode node, String field, String label) throws MalformedInteractionException {
    return Jackson.text(node, field)
        .filter(value -> !value.isEmpty())
        .orElseThrow(() -> new MalformedInteractionException("field '" + label + "' is missing or not a string"));
  }
}
