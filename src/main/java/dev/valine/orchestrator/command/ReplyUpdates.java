package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.InteractionResponse;

/**
 * Shows how a long command is getting on, in its deferred reply, before its answer: "dispatched",
 * "queued", "in progress". The answer the command returns replaces the last update.
 */
@FunctionalInterface
public interface ReplyUpdates {
  /**
   * Replaces the reply's content with an interim state. Never throws: an update that cannot be shown (Discord
   * failing, this attempt no longer holding its job) is logged and skipped, and the command goes on.
   *
   * @return whether the update was shown
   */
  boolean show(InteractionResponse interim);

  /** Where there is no deferred reply to update: the inline half, tests. */
  ReplyUpdates NONE = interim -> false;
}
