package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.valine.orchestrator.json.Jackson;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandDefinitionTest {

  @Test
  void serialisesAsDiscordChatInputCommand() throws Exception {
    CommandDefinition status = new CommandDefinition("status", "Recent runs",
        List.of(OptionDefinition.integer("count", "How many", 1, 10)));

    assertEquals(Jackson.parse("{\"name\":\"status\",\"type\":1,\"description\":\"Recent runs\",\"contexts\":[0,1],"
        + "\"integration_types\":[0],\"options\":[{\"name\":\"count\",\"description\":\"How many\",\"type\":4,"
        + "\"required\":false,\"min_value\":1,\"max_value\":10}]}"), Jackson.parse(Jackson.text(status.toJson())));
  }

  @Test
  void rejectsNameDiscordWouldRefuse() {
    assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("Status", "d", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("debug last", "d", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("x".repeat(33), "d", List.of()));
  }

  @Test
  void rejectsMissingOrLongDescription() {
    assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("status", "", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("status", "d".repeat(101), List.of()));
  }

  @Test
  void rejectsRequiredOptionAfterOptionalOne() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("dispatch", "d",
        List.of(OptionDefinition.string("ref", "branch", false), OptionDefinition.string("workflow", "which", true))));

    assertEquals("command 'dispatch': required option 'workflow' must come before optional ones", error.getMessage());
  }

  @Test
  void rejectsDuplicateOptionNames() {
    assertThrows(IllegalArgumentException.class, () -> new CommandDefinition("status", "d",
        List.of(new OptionDefinition("n", "a", OptionType.STRING, false, Optional.empty(), Optional.empty()),
            new OptionDefinition("n", "b", OptionType.STRING, false, Optional.empty(), Optional.empty()))));
  }

  @Test
  void registryRejectsTwoCommandsWithOneName() {
    SlashCommand one = new StatusCommand(Optional.empty(), List.of(), "dev", java.time.Clock.systemUTC());

    assertThrows(IllegalArgumentException.class, () -> new CommandRegistry(List.of(one, one)));
  }
}
