package dev.valine.orchestrator.command;

import dev.valine.orchestrator.alert.PendingAlert;
import dev.valine.orchestrator.discord.SignedInteraction;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Work an inline invocation hands to something that outlives it: the interaction exactly as Discord
 * signed it (the job re-verifies it, so a job cannot be made up), the trace id both share, and when the
 * request arrived and was handed off.
 *
 * @param kind {@link Kind#COMMAND}: the second half of a command that did not finish inside its inline
 *     budget; {@link Kind#ALERTS}: alerts the invocation could not deliver before its reply, riding with
 *     its signed interaction
 * @param alerts empty for a command; at least one for an alert hand-off
 */
public record DeferredJob(Kind kind, String traceId, SignedInteraction interaction, Instant arrival, Instant deferredAt,
    List<PendingAlert> alerts) {
  /** What the job does where it runs. */
  public enum Kind { COMMAND, ALERTS }

  public DeferredJob {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(deferredAt, "deferredAt");
    alerts = List.copyOf(alerts);
    if (kind == Kind.COMMAND != alerts.isEmpty()) {
      throw new IllegalArgumentException(kind == Kind.COMMAND ? "a command job carries no alerts" : "an alert hand-off carries alerts");
    }
  }

  /** The deferred half of a command. */
  public DeferredJob(String traceId, SignedInteraction interaction, Instant arrival, Instant deferredAt) {
    this(Kind.COMMAND, traceId, interaction, arrival, deferredAt, List.of());
  }

  /** Alerts an invocation could not deliver before it returned. */
  public static DeferredJob alerts(String traceId, SignedInteraction interaction, Instant arrival, Instant handedOffAt,
      List<PendingAlert> alerts) {
    return new DeferredJob(Kind.ALERTS, traceId, interaction, arrival, handedOffAt, alerts);
  }
}
