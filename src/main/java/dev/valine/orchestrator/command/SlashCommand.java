package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.InteractionResponse;

/**
 * One slash command: its registration definition and its handler. Implementations are small final
 * classes registered by name in a {@link CommandRegistry}.
 */
public interface SlashCommand {
  CommandDefinition definition();

  /**
   * Answers one invocation. Expected failures (bad input, an upstream error the user should know about)
   * are answered with a message; anything thrown is an unexpected failure, answered with a generic
   * ephemeral error carrying the trace id.
   */
  InteractionResponse handle(CommandContext context) throws Exception;

  /**
   * Whether this command's own trace is kept for {@code /debug-last}. False for commands that inspect
   * traces, so that asking twice still shows the command the user is debugging.
   */
  default boolean recordsTrace() {
    return true;
  }
}
