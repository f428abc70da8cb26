package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CommandDispatcherTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static Interaction command(String name) {
    return new Interaction("1300000000000000001", "1200000000000000000", InteractionType.APPLICATION_COMMAND, "fake-token",
        Optional.of("290926798626357999"), Optional.of("645027906669510667"), Optional.of(new DiscordUser("53908232506183680", "mason")),
        Optional.of(name), List.of(), Optional.empty());
  }

  private static SlashCommand command(String name, CommandHandler handler) {
    return new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition(name, "test command", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) throws Exception {
        return handler.handle(context);
      }
    };
  }

  private interface CommandHandler {
    InteractionResponse handle(CommandContext context) throws Exception;
  }

  @Test
  void givesTheCommandItsContextAndDeadline() {
    AtomicReference<CommandContext> seen = new AtomicReference<>();
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command("echo", context -> {
      seen.set(context);
      return InteractionResponse.message("ok");
    }))), Duration.ofMillis(2000), CLOCK, () -> "trace-1");

    InteractionResponse response = dispatcher.dispatch(command("echo"), NOW.minusMillis(300));

    assertEquals("ok", response.content());
    assertEquals("trace-1", seen.get().traceId());
    assertEquals("53908232506183680", seen.get().user().id());
    assertEquals(NOW.plusMillis(1700), seen.get().deadline().at(), "the budget starts at arrival, not at dispatch");
  }

  @Test
  void turnsUnexpectedFailureIntoEphemeralMessageWithTraceId() {
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command("boom", context -> {
      throw new IllegalStateException("database password=hunter2 rejected");
    }))), Duration.ofMillis(2000), CLOCK, () -> "trace-42");

    InteractionResponse response = dispatcher.dispatch(command("boom"), NOW);

    assertTrue(response.ephemeral());
    assertEquals("Something went wrong (trace `trace-42`). The error has been logged; try again, or share the trace id with the team.",
        response.content());
    assertFalse(response.content().contains("hunter2"));
  }

  @Test
  void answersUnknownCommandEphemerally() {
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of()), Duration.ofMillis(2000), CLOCK, () -> "t");

    InteractionResponse response = dispatcher.dispatch(command("nope"), NOW);

    assertTrue(response.ephemeral());
    assertTrue(response.content().startsWith("I don't know the command `/nope`."));
  }

  @Test
  void clearsLogContextAfterEachCommand() {
    AtomicReference<String> during = new AtomicReference<>();
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command("echo", context -> {
      during.set(MDC.get("trace_id"));
      throw new IllegalStateException("fails, and still clears");
    }))), Duration.ofMillis(2000), CLOCK, () -> "trace-7");

    dispatcher.dispatch(command("echo"), NOW);

    assertEquals("trace-7", during.get());
    assertNull(MDC.get("trace_id"));
    assertNull(MDC.get("user_id"));
    assertNull(MDC.get("command"));
    assertNull(MDC.get("correlation_id"));
  }
}
