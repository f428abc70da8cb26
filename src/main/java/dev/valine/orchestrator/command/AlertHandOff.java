package dev.valine.orchestrator.command;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.PendingAlert;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.ExecutionTrace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an inline invocation's alerts before Lambda freezes the process: they get the time the reply can
 * spare, and those still undelivered are handed to the {@link JobLauncher} (an asynchronous invocation of
 * this function in Lambda, a worker under {@code serve}) with the invocation's signed interaction, which
 * the receiving end verifies again. What cannot be handed on is logged as dropped. The reply is never made
 * late for it: the hand-off is tried only while its launch still fits before Discord's deadline.
 */
final class AlertHandOff {
  // What an asynchronous invoke may take (its call timeout): a hand-off starts only if that still fits.
  static final Duration LAUNCH_ALLOWANCE = Duration.ofMillis(600);
  // Lambda takes asynchronous events of up to 256 KB
  // (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); the signed interaction, at
  // most 64 KiB, takes up to 88 KB of that as base64.
  static final int MAX_ALERT_BYTES = 128 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AlertHandOff.class);

  private final Alerter alerts;
  private final JobLauncher launcher;
  private final Clock clock;

  AlertHandOff(Alerter alerts, JobLauncher launcher, Clock clock) {
    this.alerts = alerts;
    this.launcher = launcher;
    this.clock = clock;
  }

  /**
   * @param budgetEnd the end of the inline budget. A reply ready before it waits for alerts until then at
   *     most. One ready after it (a deferral, or a deferral that failed) waits until the hand-off must
   *     start: the user sees no difference, and an alert about the failed deferral cannot count on a hand-off
   * @param replyBy when the reply must be on its way to Discord
   */
  void settle(String traceId, SignedInteraction signed, Instant arrival, Instant budgetEnd, Instant replyBy) {
    Instant launchBy = replyBy.minus(LAUNCH_ALLOWANCE);
    Instant now = clock.instant();
    // Decided before the wait, which itself ends when the launch must start.
    boolean handOffFits = !now.isAfter(launchBy);
    Instant until = now.isBefore(budgetEnd) && budgetEnd.isBefore(launchBy) ? budgetEnd : launchBy;
    List<PendingAlert> left = alerts.settle(positive(Duration.between(now, until)));
    if (left.isEmpty()) {
      return;
    }
    if (!handOffFits) {
      alerts.drop(left, "no time was left before Discord's deadline to hand it on");
      return;
    }
    List<PendingAlert> tooLarge = new ArrayList<>();
    List<PendingAlert> fitting = fitting(left, tooLarge);
    alerts.drop(tooLarge, "the hand-off event was full");
    if (fitting.isEmpty()) {
      return;
    }
    try {
      launcher.launch(DeferredJob.alerts(traceId, signed, arrival, clock.instant(), fitting));
      LOG.info("undelivered alerts handed on to an invocation that outlives this one {}", kv("alerts", fitting.size()));
    } catch (JobLaunchException | RuntimeException e) {
      alerts.drop(fitting, "could not be handed on: " + ExecutionTrace.describe(e));
    }
  }

  private static List<PendingAlert> fitting(List<PendingAlert> alerts, List<PendingAlert> tooLarge) {
    List<PendingAlert> fitting = new ArrayList<>();
    int bytes = 0;
    for (PendingAlert alert : alerts) {
      int size = Jackson.bytes(alert.toJson()).length + 1;
      if (bytes + size > MAX_ALERT_BYTES) {
        tooLarge.add(alert);
      } else {
        fitting.add(alert);
        bytes += size;
      }
    }
    return fitting;
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
