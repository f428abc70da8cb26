package dev.valine.orchestrator.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CHAT_INPUT command as sent to Discord's bulk overwrite; it lives next to the command's code.
 * The compact constructor enforces Discord's rules
 * (https://discord.com/developers/docs/interactions/application-commands#application-command-object)
 * so that a bad definition fails the build's tests, not a deploy.
 *
 * @param guildOnly whether the command exists in guilds only, never in DMs with the bot: commands that change
 *     something, whose permissions are granted by guild roles
 */
public record CommandDefinition(String name, String description, List<OptionDefinition> options, boolean guildOnly) {
  // Discord's CHAT_INPUT name rule, restricted to the lower-case ASCII we use.
  private static final Pattern NAME = Pattern.compile("[-_a-z0-9]{1,32}");
  private static final int MAX_DESCRIPTION = 100;
  private static final int MAX_OPTIONS = 25;

  public CommandDefinition {
    options = List.copyOf(options);
    check(name, description, "command");
    if (options.size() > MAX_OPTIONS) {
      throw new IllegalArgumentException("command '" + name + "' has more than " + MAX_OPTIONS + " options");
    }
    Set<String> seen = new HashSet<>();
    boolean optionalSeen = false;
    for (OptionDefinition option : options) {
      check(option.name(), option.description(), "option of '" + name + "'");
      if (!seen.add(option.name())) {
        throw new IllegalArgumentException("command '" + name + "' declares option '" + option.name() + "' twice");
      }
      if (option.required() && optionalSeen) {
        throw new IllegalArgumentException("command '" + name + "': required option '" + option.name() + "' must come before optional ones");
      }
      optionalSeen |= !option.required();
    }
  }

  /** A command usable in guilds and in DMs with the bot. */
  public CommandDefinition(String name, String description, List<OptionDefinition> options) {
    this(name, description, options, false);
  }

  /** A command usable in guilds only. */
  public static CommandDefinition guildOnly(String name, String description, List<OptionDefinition> options) {
    return new CommandDefinition(name, description, options, true);
  }

  private static void check(String name, String description, String what) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' must be 1-32 lower-case letters, digits, '-' or '_'");
    }
    if (description.isEmpty() || description.length() > MAX_DESCRIPTION) {
      throw new IllegalArgumentException(what + " '" + name + "' needs a description of 1-100 characters");
    }
  }

  /** The JSON object Discord expects for a global command. */
  public ObjectNode toJson() {
    return toJson(true);
  }

  /**
   * @param global whether to include the fields that apply to global commands only ({@code contexts},
   *     {@code integration_types}); guild commands leave them out
   */
  public ObjectNode toJson(boolean global) {
    ObjectNode json = Jackson.object().put("name", name).put("type", 1).put("description", description);
    if (global) {
      // contexts: 0 GUILD, 1 BOT_DM. integration_types: 0 GUILD_INSTALL.
      ArrayNode contexts = json.putArray("contexts").add(0);
      if (!guildOnly) {
        contexts.add(1);
      }
      json.putArray("integration_types").add(0);
    }
    ArrayNode optionArray = json.putArray("options");
    options.forEach(option -> optionArray.add(option.toJson()));
    return json;
  }
}
