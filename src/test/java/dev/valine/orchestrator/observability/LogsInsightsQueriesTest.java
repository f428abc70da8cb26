package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.CommandDispatcher;
import dev.valine.orchestrator.command.CommandRegistry;
import dev.valine.orchestrator.command.CommandRunner;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.util.Lazy;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three CloudWatch Logs Insights queries of design §7, evaluated over lines the real encoder wrote.
 * Logs Insights flattens nested JSON, so {@code error.type} is the {@code type} field of {@code error}.
 */
class LogsInsightsQueriesTest {
  private List<JsonNode> lines;
  private String failedTraceId;

  private static SlashCommand command(String name, boolean fails) {
    return new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition(name, "test", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) {
        if (fails) {
          throw new IllegalStateException("upstream exploded");
        }
        return InteractionResponse.message("fine");
      }
    };
  }

  private static SignedInteraction signed() {
    return new SignedInteraction(new byte[0], "fake-signature", Long.toString(Instant.now().getEpochSecond()));
  }

  private static Interaction interaction(String name) {
    return new Interaction(Long.toString(System.nanoTime()), "1", InteractionType.APPLICATION_COMMAND, "fake-token", Optional.of("2"),
        Optional.of("3"), Optional.of(new DiscordUser("4", "u")), Optional.of(name), List.of(), Optional.empty());
  }

  @BeforeEach
  void runCommands() {
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command("status", false), command("deploy", true))),
        new CommandDispatcher.Timing(Duration.ofSeconds(2), Duration.ofSeconds(60)), Clock.systemUTC(),
        header -> UUID.randomUUID().toString(), new Observability(new InMemoryTraceStore(10), () -> Tracing.NONE, new SecretRedactor(), "prod"),
        dev.valine.orchestrator.alert.Alerter.NONE, new CommandRunner(new Lazy<>(() -> CommandRunner.defaultWorkers(16))), job -> { });
    try (LogCapture logs = new LogCapture()) {
      dispatcher.dispatch(interaction("status"), signed(), Instant.now(), Optional.empty());
      dispatcher.dispatch(interaction("status"), signed(), Instant.now(), Optional.empty());
      dispatcher.dispatch(interaction("deploy"), signed(), Instant.now(), Optional.empty());
      lines = logs.lines();
    }
    failedTraceId = lines.stream().filter(line -> line.path("level").asText().equals("ERROR")).findFirst().orElseThrow()
        .path("trace_id").asText();
  }

  private static String field(JsonNode line, String dotted) {
    JsonNode node = line;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }

  @Test
  void errorsQuery() {
    // fields @timestamp, level, message, trace_id, error.type | filter level = "ERROR" | sort @timestamp desc
    List<JsonNode> errors = lines.stream().filter(line -> field(line, "level").equals("ERROR"))
        .sorted(Comparator.comparing((JsonNode line) -> Instant.parse(field(line, "timestamp"))).reversed()).toList();

    assertEquals(1, errors.size());
    assertEquals("command failed", field(errors.get(0), "message"));
    assertEquals("java.lang.IllegalStateException", field(errors.get(0), "error.type"));
    assertFalse(field(errors.get(0), "trace_id").isEmpty());
  }

  @Test
  void oneTraceQuery() {
    // fields @timestamp, message | filter trace_id = "<id>" | sort @timestamp asc
    List<String> messages = lines.stream().filter(line -> field(line, "trace_id").equals(failedTraceId))
        .sorted(Comparator.comparing(line -> Instant.parse(field(line, "timestamp"))))
        .map(line -> field(line, "message")).toList();

    assertEquals(List.of("command failed", "command completed"), messages);
  }

  @Test
  void durationByCommandQuery() {
    // fields command, duration_ms | filter command != "" | stats avg(duration_ms), max(duration_ms), count() by command
    Map<String, DoubleSummaryStatistics> stats = lines.stream()
        .filter(line -> !field(line, "command").isEmpty() && line.path("duration_ms").isNumber())
        .collect(Collectors.groupingBy(line -> field(line, "command"),
            Collectors.summarizingDouble(line -> line.path("duration_ms").asDouble())));

    assertEquals(2, stats.get("status").getCount());
    assertEquals(1, stats.get("deploy").getCount());
    assertTrue(stats.get("status").getMax() >= 0);
    lines.stream().filter(line -> line.has("duration_ms"))
        .forEach(line -> assertTrue(line.path("duration_ms").isIntegralNumber(), "duration_ms must be a number: " + line));
  }
}
