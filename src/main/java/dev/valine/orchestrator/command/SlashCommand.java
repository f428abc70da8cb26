package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import java.time.Duration;
import java.util.Optional;

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

  /**
   * Whether to skip the inline attempt and answer "thinking…" at once, finishing in the deferred half:
   * for commands known to take longer than the inline budget. Commands that {@linkplain #changesSomething()
   * change something} are always deferred.
   */
  default boolean alwaysDeferred() {
    return false;
  }

  /**
   * Whether this command changes something outside the bot (dispatches a workflow, writes a variable).
   * Such a command runs at most once per interaction: never inline (an inline attempt given up at the
   * budget would be run again by the deferred half), only in the deferred half, under a job claim in the
   * shared table. It records each act in {@link CommandContext#progress()} before and after making it, so
   * that a job retried after a crash resumes instead of acting again. When its claim cannot be recorded,
   * it is refused rather than run unguarded.
   */
  default boolean changesSomething() {
    return false;
  }

  /**
   * Whether this invocation changes something: {@link #changesSomething()} unless an option decides (a
   * verification that also dispatches a diagnosis when asked to, say).
   */
  default boolean changesSomething(Interaction interaction) {
    return changesSomething();
  }

  /**
   * How long the deferred half may run in all, counted from the request's arrival, when this command needs
   * longer than {@code DEFERRED_TIMEOUT_SECONDS}: a command that follows a workflow run to its end. Never
   * more than the interaction token allows, whatever this says.
   */
  default Optional<Duration> runsFor() {
    return Optional.empty();
  }

  /**
   * Whether a deferred reply is shown only to the caller. Discord fixes this with the deferral and an
   * edit cannot change it, so a command declares it up front.
   */
  default boolean ephemeral() {
    return false;
  }
}
