package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.SignedInteraction;
import java.time.Instant;
import java.util.Objects;

/**
 * The second half of a command that did not finish inside its inline budget: the interaction exactly as
 * Discord signed it (the job re-verifies it, so a job cannot be made up), the trace id both halves share,
 * and when the request arrived and was deferred.
 */
public record DeferredJob(String traceId, SignedInteraction interaction, Instant arrival, Instant deferredAt) {
  public DeferredJob {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(deferredAt, "deferredAt");
  }
}
