package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CommandDispatcherTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final InMemoryTraceStore store = new InMemoryTraceStore(10);
  private final List<TraceRecord> traced = new ArrayList<>();
  private final Tracing recordingTracing = (trace, stage) -> traced.add(trace);
  private final List<Alert> alerts = new ArrayList<>();

  private CommandDispatcher dispatcher(String traceId, SlashCommand... commands) {
    return new CommandDispatcher(new CommandRegistry(List.of(commands)), Duration.ofMillis(2000), CLOCK, header -> traceId,
        new Observability(store, () -> recordingTracing, new SecretRedactor(), "dev"), alerts::add);
  }

  private static Interaction command(String name) {
    return new Interaction("1300000000000000001", "1200000000000000000", InteractionType.APPLICATION_COMMAND, "fake-token",
        Optional.of("290926798626357999"), Optional.of("645027906669510667"), Optional.of(new DiscordUser("53908232506183680", "mason")),
        Optional.of(name), List.of(), Optional.empty());
  }

  private interface CommandHandler {
    InteractionResponse handle(CommandContext context) throws Exception;
  }

  private static SlashCommand command(String name, boolean recordsTrace, CommandHandler handler) {
    return new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition(name, "test command", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) throws Exception {
        return handler.handle(context);
      }

      @Override
      public boolean recordsTrace() {
        return recordsTrace;
      }
    };
  }

  private static SlashCommand command(String name, CommandHandler handler) {
    return command(name, true, handler);
  }

  @Test
  void givesTheCommandItsContextAndDeadline() {
    AtomicReference<CommandContext> seen = new AtomicReference<>();
    CommandDispatcher dispatcher = dispatcher("trace-1", command("echo", context -> {
      seen.set(context);
      return InteractionResponse.message("ok");
    }));

    InteractionResponse response = dispatcher.dispatch(command("echo"), NOW.minusMillis(300), Optional.empty());

    assertEquals("ok", response.content());
    assertEquals("trace-1", seen.get().traceId());
    assertEquals("53908232506183680", seen.get().user().id());
    assertEquals(NOW.plusMillis(1700), seen.get().deadline().at(), "the budget starts at arrival, not at dispatch");
  }

  @Test
  void recordsTheTraceForDebugLastAndTracing() {
    CommandDispatcher dispatcher = dispatcher("trace-2", command("echo", context -> {
      try (var step = context.trace().step("work")) {
        context.trace().link("docs", "https://example.com/docs");
      }
      return InteractionResponse.message("ok");
    }));

    dispatcher.dispatch(command("echo"), NOW, Optional.empty());

    TraceRecord trace = store.newestFor("53908232506183680").orElseThrow();
    assertEquals("trace-2", trace.traceId());
    assertEquals("1300000000000000001", trace.correlationId());
    assertEquals(TraceStatus.OK, trace.status());
    assertEquals("work", trace.steps().get(0).name());
    assertEquals("https://example.com/docs", trace.links().get("docs"));
    assertEquals(List.of(trace), traced);
  }

  @Test
  void doesNotStoreTracesOfCommandsThatInspectTraces() {
    CommandDispatcher dispatcher = dispatcher("trace-3", command("debug-last", false, context -> InteractionResponse.ephemeral("x")));

    dispatcher.dispatch(command("debug-last"), NOW, Optional.empty());

    assertEquals(Optional.empty(), store.newestFor("53908232506183680"));
  }

  @Test
  void turnsUnexpectedFailureIntoEphemeralMessageWithTraceId() {
    CommandDispatcher dispatcher = dispatcher("trace-42", command("boom", context -> {
      throw new IllegalStateException("database password=hunter2 rejected");
    }));

    InteractionResponse response = dispatcher.dispatch(command("boom"), NOW, Optional.empty());

    assertTrue(response.ephemeral());
    assertEquals("Something went wrong (trace `trace-42`). The error has been logged; try again, or share the trace id with the team.",
        response.content());
    TraceRecord trace = store.find("trace-42").orElseThrow();
    assertEquals(TraceStatus.ERROR, trace.status());
    assertEquals(Optional.of("IllegalStateException: database password=***REDACTED*** rejected"), trace.error());
  }

  @Test
  void raisesCriticalAlertWhenACommandFails() {
    CommandDispatcher dispatcher = dispatcher("trace-43", command("boom", context -> {
      throw new IllegalStateException("disk full");
    }));

    dispatcher.dispatch(command("boom"), NOW, Optional.empty());

    assertEquals(1, alerts.size());
    Alert alert = alerts.get(0);
    assertEquals(Severity.CRITICAL, alert.severity());
    assertEquals("Command /boom failed", alert.title());
    assertEquals("IllegalStateException: disk full", alert.detail());
    assertEquals(Optional.of("trace-43"), alert.traceId());
    assertEquals(Optional.of("boom"), alert.command());
    assertEquals(Optional.of("53908232506183680"), alert.userId());
    assertEquals(Optional.of("IllegalStateException"), alert.errorType());
  }

  @Test
  void raisesNoAlertForUnknownCommands() {
    dispatcher("t").dispatch(command("nope"), NOW, Optional.empty());

    assertEquals(List.of(), alerts);
  }

  @Test
  void answersUnknownCommandEphemerally() {
    InteractionResponse response = dispatcher("t").dispatch(command("nope"), NOW, Optional.empty());

    assertTrue(response.ephemeral());
    assertTrue(response.content().startsWith("I don't know the command `/nope`."));
  }

  @Test
  void clearsLogContextAfterEachCommand() {
    AtomicReference<String> during = new AtomicReference<>();
    CommandDispatcher dispatcher = dispatcher("trace-7", command("echo", context -> {
      during.set(MDC.get("trace_id"));
      throw new IllegalStateException("fails, and still clears");
    }));

    dispatcher.dispatch(command("echo"), NOW, Optional.empty());

    assertEquals("trace-7", during.get());
    assertNull(MDC.get("trace_id"));
    assertNull(MDC.get("user_id"));
    assertNull(MDC.get("command"));
    assertNull(MDC.get("correlation_id"));
  }

  @Test
  void writesOneClosingLineWithDurationAndStatus() {
    try (LogCapture logs = new LogCapture()) {
      dispatcher("trace-8", command("echo", context -> InteractionResponse.message("ok"))).dispatch(command("echo"), NOW, Optional.empty());

      List<JsonNode> closing = logs.lines().stream().filter(line -> line.path("message").asText().equals("command completed")).toList();
      assertEquals(1, closing.size());
      assertTrue(closing.get(0).path("duration_ms").isNumber());
      assertEquals("ok", closing.get(0).path("status").asText());
      assertEquals("trace-8", closing.get(0).path("trace_id").asText());
      assertEquals("echo", closing.get(0).path("command").asText());
    }
  }

  @Test
  void logsFailureWithErrorFieldsAndNoSecret() {
    try (LogCapture logs = new LogCapture()) {
      dispatcher("trace-9", command("boom", context -> {
        throw new IllegalStateException("call failed", new RuntimeException("Authorization: Bearer abcdefghijklmnop1234"));
      })).dispatch(command("boom"), NOW, Optional.empty());

      JsonNode error = logs.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).findFirst().orElseThrow();
      assertEquals("java.lang.IllegalStateException", error.path("error").path("type").asText());
      assertEquals("call failed", error.path("error").path("message").asText());
      assertTrue(error.path("error").path("stack").asText().contains("Caused by: java.lang.RuntimeException: Authorization: ***REDACTED***"));
      assertEquals("trace-9", error.path("trace_id").asText());
      assertFalse(logs.text().contains("abcdefghijklmnop1234"));
    }
  }
}
