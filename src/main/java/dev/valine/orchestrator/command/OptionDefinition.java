package dev.valine.orchestrator.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.Objects;
import java.util.Optional;

/** A parameter of a slash command as registered with Discord; min/max apply to INTEGER and NUMBER. */
public record OptionDefinition(
    String name, String description, OptionType type, boolean required, Optional<Long> minValue, Optional<Long> maxValue) {

  public OptionDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(type, "type");
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

  ObjectNode toJson() {
    ObjectNode json = Jackson.object()
        .put("name", name)
        .put("description", description)
        .put("type", type.code())
        .put("required", required);
    minValue.ifPresent(min -> json.put("min_value", min));
    maxValue.ifPresent(max -> json.put("max_value", max));
    return json;
  }
}
