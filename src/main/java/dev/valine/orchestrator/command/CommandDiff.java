package dev.valine.orchestrator.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a bulk overwrite will do to the commands Discord has in one scope: which are added, changed (and
 * in which fields), removed, or left as they are. Compares only the fields we send, so the ids, versions
 * and defaults Discord adds to its copies do not count as changes.
 */
public record CommandDiff(List<String> added, Map<String, List<String>> changed, List<String> removed, List<String> unchanged) {

  public static CommandDiff between(JsonNode existing, ArrayNode desired) {
    Map<String, JsonNode> current = new LinkedHashMap<>();
    existing.forEach(command -> current.put(command.path("name").asText(), command));
    List<String> added = new ArrayList<>();
    Map<String, List<String>> changed = new LinkedHashMap<>();
    List<String> unchanged = new ArrayList<>();
    for (JsonNode wanted : normalise(desired)) {
      String name = wanted.path("name").asText();
      JsonNode have = current.remove(name);
      if (have == null) {
        added.add(name);
        continue;
      }
      List<String> fields = new ArrayList<>();
      for (Iterator<String> keys = wanted.fieldNames(); keys.hasNext();) {
        String key = keys.next();
        if (!wanted.get(key).equals(normalise(have.path(key)))) {
          fields.add(key);
        }
      }
      if (fields.isEmpty()) {
        unchanged.add(name);
      } else {
        changed.put(name, fields);
      }
    }
    return new CommandDiff(added, changed, new ArrayList<>(current.keySet()), unchanged);
  }

  public boolean isEmpty() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }

  /** Round-trips through text (so 1 and 1L compare equal) and drops {@code required: false}, Discord's default. */
  private static JsonNode normalise(JsonNode node) {
    if (node.isMissingNode()) {
      return node;
    }
    try {
      JsonNode copy = Jackson.parse(Jackson.text(node));
      dropFalseRequired(copy);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void dropFalseRequired(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.path("required").isBoolean() && !object.path("required").booleanValue()) {
        object.remove("required");
      }
      object.forEach(CommandDiff::dropFalseRequired);
    } else if (node.isArray()) {
      node.forEach(CommandDiff::dropFalseRequired);
    }
  }
}
