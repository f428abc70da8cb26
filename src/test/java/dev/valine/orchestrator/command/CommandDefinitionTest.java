package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.valine.orchestrator.json.Jackson;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
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
  void keepsAGuildOnlyCommandOutOfDirectMessagesWithTypedOptions() throws Exception {
    CommandDefinition verify = CommandDefinition.guildOnly("verify-run", "Verify a run",
        List.of(OptionDefinition.requiredInteger("run_id", "Run id", 1, 9_007_199_254_740_991L), OptionDefinition.bool("confirm", "Really", false)));

    var json = Jackson.parse(Jackson.text(verify.toJson()));

    assertEquals(Jackson.parse("[0]"), json.path("contexts"), "guild only");
    assertEquals(Jackson.parse("{\"name\":\"run_id\",\"description\":\"Run id\",\"type\":4,\"required\":true,\"min_value\":1,"
        + "\"max_value\":9007199254740991}"), json.path("options").get(0));
    assertEquals(5, json.path("options").get(1).path("type").asInt(), "BOOLEAN");
    assertEquals(true, verify.toJson(false).path("contexts").isMissingNode(), "a guild command carries no global-only fields");
  }

  @Test
  void serialisesStringChoicesAsDiscordExpects() throws Exception {
    CommandDefinition digest = new CommandDefinition("status-digest", "Sum up runs",
        List.of(OptionDefinition.string("period", "Which period", false, List.of("daily", "weekly"))));

    assertEquals(Jackson.parse("{\"name\":\"period\",\"description\":\"Which period\",\"type\":3,\"required\":false,"
        + "\"choices\":[{\"name\":\"daily\",\"value\":\"daily\"},{\"name\":\"weekly\",\"value\":\"weekly\"}]}"),
        Jackson.parse(Jackson.text(digest.toJson())).path("options").get(0));
  }

  @Test
  void anOptionWithoutChoicesSendsNoChoicesField() {
    var json = OptionDefinition.string("ref", "branch", false).toJson();

    assertEquals(true, json.path("choices").isMissingNode());
  }

  @Test
  void acceptsTwentyFiveChoicesAndNoMore() {
    List<String> allowed = IntStream.rangeClosed(1, 25).mapToObj(i -> "c" + i).toList();
    List<String> tooMany = IntStream.rangeClosed(1, 26).mapToObj(i -> "c" + i).toList();

    assertEquals(25, OptionDefinition.string("pick", "d", false, allowed).choices().size());
    assertThrows(IllegalArgumentException.class, () -> OptionDefinition.string("pick", "d", false, tooMany));
  }

  @Test
  void rejectsChoicesDiscordWouldRefuse() {
    assertThrows(IllegalArgumentException.class, () -> OptionDefinition.string("pick", "d", false, List.of()), "none");
    assertThrows(IllegalArgumentException.class, () -> OptionDefinition.string("pick", "d", false, List.of("")), "empty");
    assertThrows(IllegalArgumentException.class, () -> OptionDefinition.string("pick", "d", false, List.of("x".repeat(101))),
        "longer than 100");
    assertThrows(IllegalArgumentException.class, () -> OptionDefinition.string("pick", "d", false, List.of("a", "a")), "twice");
    assertThrows(IllegalArgumentException.class, () -> new OptionDefinition("n", "d", OptionType.INTEGER, false, Optional.empty(),
        Optional.empty(), List.of("1")), "only STRING options take choices here");
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
