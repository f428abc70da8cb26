package dev.valine.orchestrator.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parameter of a slash command as registered with Discord; min/max apply to INTEGER and NUMBER.
 *
 * @param choices the only values a STRING option takes, each shown under its own name; empty for a free value.
 *     Discord offers them as a pick list and refuses others from its client
 *     (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure)
 */
public record OptionDefinition(
    String name, String description, OptionType type, boolean required, Optional<Long> minValue, Optional<Long> maxValue,
    List<String> choices) {
  // Discord's limits for choices: at most 25, each name and string value 1-100 characters.
  private static final int MAX_CHOICES = 25;
  private static final int MAX_CHOICE_LENGTH = 100;

  public OptionDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(type, "type");
    choices = List.copyOf(choices);
    if (!choices.isEmpty()) {
      checkChoices(name, type, choices);
    }
  }

  /** An option without choices. */
  public OptionDefinition(String name, String description, OptionType type, boolean required, Optional<Long> minValue,
      Optional<Long> maxValue) {
    this(name, description, type, required, minValue, maxValue, List.of());
  }

  public static OptionDefinition integer(String name, String description, long min, long max) {
    return new OptionDefinition(name, description, OptionType.INTEGER, false, Optional.of(min), Optional.of(max));
  }

  /** A required integer, such as a run id. */
  public static OptionDefinition requiredInteger(String name, String description, long min, long max) {
    return new OptionDefinition(name, description, OptionType.INTEGER, true, Optional.of(min), Optional.of(max));
  }

  public static OptionDefinition bool(String name, String description, boolean required) {
    return new OptionDefinition(name, description, OptionType.BOOLEAN, required, Optional.empty(), Optional.empty());
  }

  public static OptionDefinition string(String name, String description, boolean required) {
    return new OptionDefinition(name, description, OptionType.STRING, required, Optional.empty(), Optional.empty());
  }

  /** A string that is one of {@code choices}, each offered under its own value as its name ({@code daily}, {@code weekly}). */
  public static OptionDefinition string(String name, String description, boolean required, List<String> choices) {
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("option '" + name + "': a choice option needs at least one choice");
    }
    return new OptionDefinition(name, description, OptionType.STRING, required, Optional.empty(), Optional.empty(), choices);
  }

  private static void checkChoices(String name, OptionType type, List<String> choices) {
    // Discord also allows choices on INTEGER and NUMBER; we only need strings, so only strings are accepted.
    if (type != OptionType.STRING) {
      throw new IllegalArgumentException("option '" + name + "': choices are supported on STRING options only, not " + type);
    }
    if (choices.size() > MAX_CHOICES) {
      throw new IllegalArgumentException("option '" + name + "' has more than " + MAX_CHOICES + " choices");
    }
    HashSet<String> seen = new HashSet<>();
    for (String choice : choices) {
      if (choice.isEmpty() || choice.length() > MAX_CHOICE_LENGTH) {
        throw new IllegalArgumentException("option '" + name + "': choice '" + choice + "' must be 1-100 characters");
      }
      if (!seen.add(choice)) {
        throw new IllegalArgumentException("option '" + name + "' offers choice '" + choice + "' twice");
      }
    }
  }

  ObjectNode toJson() {
    ObjectNode json = Jackson.object()
        .put("name", name)
        .put("description", description)
        .put("type", type.code())
        .put("required", required);
    minValue.ifPresent(min -> json.put("min_value", min));
    maxValue.ifPresent(max -> json.put("max_value", max));
    if (!choices.isEmpty()) {
      ArrayNode array = json.putArray("choices");
      choices.forEach(choice -> array.addObject().put("name", choice).put("value", choice));
    }
    return json;
  }
}
