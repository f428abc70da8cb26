package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandDiffTest {
  private static final CommandDefinition STATUS = new CommandDefinition("status", "Recent runs",
      List.of(OptionDefinition.integer("count", "How many", 1, 10)));

  /** Discord's copy of a command: ours plus the fields Discord adds, without required=false. */
  static ObjectNode asDiscordReturnsIt(CommandDefinition definition) throws Exception {
    ObjectNode copy = (ObjectNode) Jackson.parse(Jackson.text(definition.toJson()));
    copy.put("id", "771825006014889984").put("application_id", "1200000000000000000").put("version", "1")
        .putNull("default_member_permissions").put("nsfw", false);
    copy.path("options").forEach(option -> ((ObjectNode) option).remove("required"));
    return copy;
  }

  @Test
  void findsAddedChangedRemovedAndUnchanged() throws Exception {
    ArrayNode existing = Jackson.array().add(asDiscordReturnsIt(STATUS))
        .add(asDiscordReturnsIt(new CommandDefinition("old-cmd", "Gone", List.of())))
        .add(asDiscordReturnsIt(new CommandDefinition("debug-last", "Old text", List.of())));
    ArrayNode desired = Jackson.array().add(STATUS.toJson())
        .add(new CommandDefinition("debug-last", "New text", List.of()).toJson())
        .add(new CommandDefinition("dispatch", "Run a workflow", List.of()).toJson());

    CommandDiff diff = CommandDiff.between(existing, desired);

    assertEquals(List.of("dispatch"), diff.added());
    assertEquals(Map.of("debug-last", List.of("description")), diff.changed());
    assertEquals(List.of("old-cmd"), diff.removed());
    assertEquals(List.of("status"), diff.unchanged());
  }

  @Test
  void sameDefinitionsAreInSync() throws Exception {
    CommandDiff diff = CommandDiff.between(Jackson.array().add(asDiscordReturnsIt(STATUS)), Jackson.array().add(STATUS.toJson()));

    assertTrue(diff.isEmpty());
  }

  @Test
  void changedOptionBoundsAreAChange() throws Exception {
    CommandDefinition wider = new CommandDefinition("status", "Recent runs", List.of(OptionDefinition.integer("count", "How many", 1, 20)));

    CommandDiff diff = CommandDiff.between(Jackson.array().add(asDiscordReturnsIt(STATUS)), Jackson.array().add(wider.toJson()));

    assertEquals(Map.of("status", List.of("options")), diff.changed());
  }
}
