package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interim states shown in a deferred reply while its command runs. Each one first renews the job's lease,
 * which also tells whether this attempt still holds the job: an attempt that lost it must not write over
 * the reply of the one that has it. A failed update is logged and skipped; the answer comes anyway.
 */
final class DeferredReplyUpdates implements ReplyUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredReplyUpdates.class);
  // An update is worth less than the poll after it: it waits less than a final edit does.
  private static final Duration UPDATE_BUDGET = Duration.ofSeconds(5);

  private final ReplyEditor editor;
  private final Interaction interaction;
  private final JobClaim claim;
  private final Instant editBy;
  private final Clock clock;

  /** @param editBy the last instant an edit is attempted: the token's expiry less a margin */
  DeferredReplyUpdates(ReplyEditor editor, Interaction interaction, JobClaim claim, Instant editBy, Clock clock) {
    this.editor = editor;
    this.interaction = interaction;
    this.claim = claim;
    this.editBy = editBy;
    this.clock = clock;
  }

  @Override
  public boolean show(InteractionResponse interim) {
    Duration left = Duration.between(clock.instant(), editBy);
    if (left.isNegative() || left.isZero()) {
      return false;
    }
    if (!claim.renew()) {
      LOG.warn("reply update skipped: another attempt has taken this job over");
      return false;
    }
    try {
      editor.edit(interaction, interim, left.compareTo(UPDATE_BUDGET) < 0 ? left : UPDATE_BUDGET);
      return true;
    } catch (DiscordException | RuntimeException e) {
      LOG.warn("reply update not shown: {}", e.getMessage());
      return false;
    }
  }
}
