package dev.valine.orchestrator.command;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionParser;
import dev.valine.orchestrator.discord.MalformedInteractionException;
import dev.valine.orchestrator.discord.SignatureVerifier;
import dev.valine.orchestrator.observability.LogContext;
import dev.valine.orchestrator.observability.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a deferred job, wherever it was launched, and decides whether to run it: the interaction's
 * signature must verify with our public key (a job cannot be made up, even by someone allowed to invoke
 * the function), its token must still be alive, and this delivery must win the job's claim ({@link
 * Claims}): Lambda may deliver an asynchronous event twice, and retries one whose invocation crashed. A
 * duplicate of a job that is running or done does nothing; a retry after a crash takes the job over once
 * the crashed attempt's lease has lapsed, and the command resumes from the progress it recorded. Then the
 * {@link CommandDispatcher} finishes the command, or, for an alert hand-off, the alerts it carries are
 * delivered.
 *
 * <p>This invocation's alerts are delivered before it returns, for at most {@link #ALERT_DELIVERY}; no
 * deadline presses here, but nothing outlives the invocation either, so what is still undelivered then is
 * logged as dropped.
 */
public final class DeferredJobRunner {
  /**
   * What became of one delivery. {@code UNCLAIMED}: the job of a command that changes something, whose
   * claim could not be recorded, so the command was not run (and the reply says so).
   */
  public enum Outcome { COMPLETED, DUPLICATE, EXPIRED, REFUSED, UNCLAIMED }

  private static final Logger LOG = LoggerFactory.getLogger(DeferredJobRunner.class);

  private static final Duration CHECK_BUDGET = Duration.ofSeconds(3);
  /** How long the invocation waits for its alerts before it returns: one Discord post with its retries. */
  static final Duration ALERT_DELIVERY = Duration.ofSeconds(10);

  private final SignatureVerifier verifier;
  private final InteractionParser parser;
  private final CommandDispatcher dispatcher;
  private final ReplyEditor editor;
  private final Claims claims;
  private final Alerter alerts;
  private final Metrics metrics;
  private final Clock clock;

  public DeferredJobRunner(SignatureVerifier verifier, InteractionParser parser, CommandDispatcher dispatcher,
      ReplyEditor editor, Claims claims, Alerter alerts, Metrics metrics, Clock clock) {
    this.verifier = verifier;
    this.parser = parser;
    this.dispatcher = dispatcher;
    this.editor = editor;
    this.claims = claims;
    this.alerts = alerts;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Runs the job unless it is forged, expired or a repeat. Never throws: a retry could not do better. */
  public Outcome run(DeferredJob job) {
    Outcome outcome;
    try {
      outcome = job.kind() == DeferredJob.Kind.ALERTS ? deliverAlerts(job) : decideAndRun(job);
    } finally {
      alerts.drop(alerts.settle(ALERT_DELIVERY), "not delivered before its invocation ended");
    }
    // An alert hand-off is no command: its outcomes are told apart (alerts_completed, …) on the same metric.
    String kind = job.kind() == DeferredJob.Kind.ALERTS ? "alerts_" : "";
    metrics.deferredJob(kind + outcome.name().toLowerCase(Locale.ROOT));
    return outcome;
  }

  /**
   * Takes over the alerts an inline invocation could not deliver. They are accepted on the same terms as
   * a command: the interaction they ride with must verify, within the token's lifetime, and each hand-off
   * is taken once (once per container when the table fails or none is configured).
   */
  private Outcome deliverAlerts(DeferredJob job) {
    SignatureVerifier.Result verdict = verifier.verify(job.interaction(), CommandDispatcher.TOKEN_LIFETIME);
    if (verdict != SignatureVerifier.Result.VALID) {
      LOG.error("alert hand-off refused: its interaction does not verify {} {}", kv("reason", verdict.name().toLowerCase(Locale.ROOT)),
          kv("trace_id", job.traceId()));
      alerts.drop(job.alerts(), "its hand-off was refused");
      return Outcome.REFUSED;
    }
    Interaction interaction;
    try {
      interaction = parser.parse(job.interaction().body());
    } catch (MalformedInteractionException e) {
      LOG.error("alert hand-off refused: {} {}", e.getMessage(), kv("trace_id", job.traceId()));
      alerts.drop(job.alerts(), "its hand-off was refused");
      return Outcome.REFUSED;
    }
    if (!claims.claimHandOff(interaction.id(), CommandDispatcher.signedAt(job.interaction(), job.arrival()))) {
      LOG.info("alert hand-off delivered again; it was already taken {}", kv("trace_id", job.traceId()));
      return Outcome.DUPLICATE;
    }
    LOG.info("alert hand-off received {} {}", kv("alerts", job.alerts().size()), kv("trace_id", job.traceId()));
    alerts.resume(job.alerts());
    return Outcome.COMPLETED;
  }

  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  private Outcome decideAndRun(DeferredJob job) {
    SignatureVerifier.Result verdict = verifier.verify(job.interaction(), CommandDispatcher.TOKEN_LIFETIME);
    if (verdict != SignatureVerifier.Result.VALID) {
      LOG.error("deferred job refused: its interaction does not verify {} {}",
          kv("reason", verdict.name().toLowerCase(Locale.ROOT)), kv("trace_id", job.traceId()));
      return Outcome.REFUSED;
    }
    Interaction interaction;
    try {
      interaction = parser.parse(job.interaction().body());
    } catch (MalformedInteractionException e) {
      LOG.error("deferred job refused: {} {}", e.getMessage(), kv("trace_id", job.traceId()));
      return Outcome.REFUSED;
    }
    if (interaction.commandName().isEmpty() || interaction.user().isEmpty()) {
      LOG.error("deferred job refused: not a command interaction {}", kv("trace_id", job.traceId()));
      return Outcome.REFUSED;
    }
    DiscordUser user = interaction.user().orElseThrow();
    String command = interaction.commandName().orElseThrow();
    Instant tokenExpiry = CommandDispatcher.tokenExpiry(job.interaction(), job.arrival());
    Claims.JobStart start;
    try (LogContext ignored = LogContext.forCommand(job.traceId(), interaction.id(), user.id(), command)) {
      if (!clock.instant().isBefore(tokenExpiry.minus(CommandDispatcher.EDIT_MARGIN))) {
        abandonExpired(job, user, command, tokenExpiry);
        return Outcome.EXPIRED;
      }
      start = claims.beginJob(interaction.id(), CommandDispatcher.signedAt(job.interaction(), job.arrival()),
          dispatcher.changesSomething(interaction));
      if (start.status().isEmpty()) {
        LOG.error("deferred job refused: its claim could not be recorded, and its command changes something");
      } else if (!runs(start, interaction)) {
        return Outcome.DUPLICATE;
      }
    }
    if (start.claim().isEmpty()) {
      dispatcher.refuseUnclaimed(interaction, job, tokenExpiry, editor);
      return Outcome.UNCLAIMED;
    }
    dispatcher.resume(interaction, job, tokenExpiry, editor, start.claim().get());
    return Outcome.COMPLETED;
  }

  /** Whether this delivery runs the job; false for a duplicate, logged. */
  private boolean runs(Claims.JobStart start, Interaction interaction) {
    ClaimStore.JobState state = start.status().orElseThrow();
    switch (state.status()) {
      case DONE:
        LOG.info("deferred job delivered again; it already ran");
        return false;
      case RUNNING_ELSEWHERE:
        LOG.info("deferred job delivered again; another attempt is running it {}",
            kv("lease_until", state.leaseUntil().map(Instant::toString).orElse("")));
        return false;
      case TAKEN_OVER:
        // Its reply may already show what the stopped attempt edited in: no "already answered" check.
        LOG.warn("deferred job taken over from an attempt that stopped before its end {}",
            kv("recorded", String.join(",", state.progress().keySet())));
        metrics.deferredJob("taken_over");
        return true;
      default:
        // A job claimed in one container's memory only (no table, or the table failing) may have run in another.
        if (editor.alreadyAnswered(interaction, CHECK_BUDGET)) {
          start.claim().orElseThrow().finish();
          LOG.info("deferred job delivered again; its reply already shows an answer");
          return false;
        }
        return true;
    }
  }

  private void abandonExpired(DeferredJob job, DiscordUser user, String command, Instant tokenExpiry) {
    Duration late = Duration.between(job.deferredAt(), clock.instant());
    LOG.error("deferred job abandoned: the interaction token expires before it could finish {} {}",
        kv("waited_ms", late.toMillis()), kv("token_expiry", tokenExpiry.toString()));
    alerts.raise(new Alert(Severity.ERROR, "Deferred command abandoned",
        "The job for /" + command + " started " + late.toSeconds() + " s after it was deferred, too close to the "
            + "15-minute interaction token expiry to answer. The user's reply stays unanswered.",
        Optional.of(job.traceId()), Optional.of(command), Optional.of(user.id()), Optional.of("TokenExpired"), Map.of()));
  }
}
