package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import java.time.Duration;

/** Replaces the "thinking…" of a deferred reply with the real answer. */
public interface ReplyEditor {
  /** {@code PATCH …/messages/@original} with the response's content. */
  void edit(Interaction interaction, InteractionResponse response, Duration budget) throws DiscordException;

  /**
   * Whether the deferred reply already shows an answer, so a second delivery of the same job must not
   * run again. False when that cannot be told; editing is idempotent, so the worst case is one more edit.
   */
  boolean alreadyAnswered(Interaction interaction, Duration budget);
}
