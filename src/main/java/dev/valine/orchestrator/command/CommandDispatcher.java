package dev.valine.orchestrator.command;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.LogContext;
import dev.valine.orchestrator.observability.LogFields;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.time.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the command an interaction names, observed, in one of two halves:
 *
 * <ul>
 *   <li>{@link #dispatch} answers the HTTP request. It first claims the interaction ({@link Claims}): a
 *       second delivery of it (a replayed request) is answered without running anything or adding a trace.
 *       The command runs on a worker for at most the inline budget; if it finishes, its reply goes inline
 *       (type 4). If not (or if it is always deferred), the attempt is given up, its upstream calls
 *       cancelled, the job is handed to the {@link JobLauncher} and the reply is "thinking…" (type 5). A
 *       command that changes something never runs inline: it is deferred at once, so that it acts in one
 *       place only. Before the reply goes, the invocation's alerts are delivered or handed on
 *       ({@link AlertHandOff}): Lambda freezes the process right after it.
 *   <li>{@link #resume} is the deferred half: under the job's claim (which the {@link DeferredJobRunner}
 *       took), it runs the command again with the time the interaction token leaves, renewing the claim's
 *       lease meanwhile, and edits the deferred reply with the result, or with a clear error. Its alerts are
 *       settled by the {@link DeferredJobRunner} that called it.
 * </ul>
 *
 * <p>Both halves share one trace id, so logs, X-Ray annotations and {@code /debug-last} show one story.
 * An unexpected failure becomes a short ephemeral error with the trace id (never a stack trace) and a
 * critical alert. Each command ends with one "command completed" line with {@code duration_ms} and
 * {@code status}.
 */
public final class CommandDispatcher {
  /** How long Discord accepts edits of a reply, counted from when it sent the interaction. */
  public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
  // The deferred half stops its command this long before the token expires, to still say so to the user.
  static final Duration EDIT_MARGIN = Duration.ofSeconds(30);
  private static final Duration EDIT_BUDGET = Duration.ofSeconds(10);
  // Discord's 3 s less the trip back; and what a write to a shared trace store may take (its call timeout).
  static final Duration REPLY_BY = Duration.ofMillis(2_800);
  static final Duration SHARED_STORE_ALLOWANCE = Duration.ofMillis(600);
  /** The answer to a second delivery of an interaction: nothing about the first, which a replayer has no business knowing. */
  static final String ALREADY_HANDLED = "This interaction was already handled.";

  private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

  /**
   * How commands are timed and where their slow halves go.
   *
   * @param inlineBudget time from arrival after which the reply is deferred ({@code COMMAND_BUDGET_MS})
   * @param deferredTimeout the most a command may run in all ({@code DEFERRED_TIMEOUT_SECONDS}), never
   *     past the interaction token's lifetime
   */
  public record Timing(Duration inlineBudget, Duration deferredTimeout) {
    public Timing {
      Objects.requireNonNull(inlineBudget, "inlineBudget");
      Objects.requireNonNull(deferredTimeout, "deferredTimeout");
    }
  }

  private final CommandRegistry registry;
  private final Timing timing;
  private final Clock clock;
  private final Function<Optional<String>, String> traceIds;
  private final Observability observability;
  private final Alerter alerts;
  private final CommandRunner runner;
  private final JobLauncher launcher;
  private final AlertHandOff alertHandOff;
  private final Claims claims;

  /** With claims in this dispatcher's memory only: for tests and tools. */
  public CommandDispatcher(CommandRegistry registry, Timing timing, Clock clock, Function<Optional<String>, String> traceIds,
      Observability observability, Alerter alerts, CommandRunner runner, JobLauncher launcher) {
    this(registry, timing, clock, traceIds, observability, alerts, runner, launcher, Claims.inMemory(clock));
  }

  /**
   * @param traceIds the trace id for a command, given the invocation's X-Ray trace header if any
   * @param claims where interactions are claimed, once each
   */
  public CommandDispatcher(CommandRegistry registry, Timing timing, Clock clock, Function<Optional<String>, String> traceIds,
      Observability observability, Alerter alerts, CommandRunner runner, JobLauncher launcher, Claims claims) {
    this.claims = claims;
    this.registry = registry;
    this.timing = timing;
    this.clock = clock;
    this.traceIds = traceIds;
    this.observability = observability;
    this.alerts = alerts;
    this.runner = runner;
    this.launcher = launcher;
    this.alertHandOff = new AlertHandOff(alerts, launcher, clock);
  }

  /**
   * The inline half: answers within the inline budget, with the result or with a deferral.
   *
   * @param signed the interaction as Discord signed it, handed to the deferred half if there is one
   * @param arrival when the request reached us, the start of the budget
   * @param xrayTraceHeader the invocation's X-Ray trace header, when running under X-Ray
   */
  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  public InteractionResponse dispatch(Interaction interaction, SignedInteraction signed, Instant arrival,
      Optional<String> xrayTraceHeader) {
    String name = interaction.commandName().orElse("");
    DiscordUser user = user(interaction);
    // Starts at arrival, as Discord's clock does; the deferred half continues it from the same instant.
    ExecutionTrace trace = new ExecutionTrace(traceIds.apply(xrayTraceHeader), interaction.id(), name, user.id(),
        interaction.guildId(), interaction.channelId(), arrival, clock, observability.redactor());
    Deadline inline = Deadline.of(arrival, timing.inlineBudget(), clock);
    try (LogContext ignored = LogContext.forCommand(trace.traceId(), interaction.id(), user.id(), name)) {
      try {
        SlashCommand command = registry.find(name).orElse(null);
        Claims.Verdict claim = claim(interaction, command, signed, arrival, trace);
        if (claim == Claims.Verdict.REPEAT) {
          // No trace, no closing line: the first delivery has them. The reply tells a replayer nothing new.
          LOG.warn("interaction delivered again; not run again");
          return InteractionResponse.ephemeral(ALREADY_HANDLED);
        }
        if (claim == Claims.Verdict.UNRECORDED) {
          return unclaimed(command, interaction, trace);
        }
        return answer(command, interaction, signed, arrival, trace, inline);
      } finally {
        // Alerts get the time the reply can spare; what is still undelivered then rides on to another invocation.
        alertHandOff.settle(trace.traceId(), signed, arrival, inline.at(), arrival.plus(REPLY_BY));
      }
    }
  }

  /** Claims the interaction, as a step of its trace. */
  private Claims.Verdict claim(Interaction interaction, SlashCommand command, SignedInteraction signed, Instant arrival,
      ExecutionTrace trace) {
    boolean acting = command != null && command.changesSomething(interaction);
    ExecutionTrace.Step step = trace.step("claim");
    Claims.Verdict verdict = claims.claimInteraction(interaction.id(), signedAt(signed, arrival), acting);
    if (verdict == Claims.Verdict.UNRECORDED) {
      step.fail("not recorded");
    } else {
      step.ok(verdict == Claims.Verdict.FIRST ? "first delivery" : "delivered before");
    }
    return verdict;
  }

  /** A command that changes something, whose claim could not be recorded: refused, with nothing changed. */
  private InteractionResponse unclaimed(SlashCommand command, Interaction interaction, ExecutionTrace trace) {
    String name = command.definition().name();
    trace.fail("refused: the interaction's claim could not be recorded");
    alerts.raise(new Alert(Severity.ERROR, "Command /" + name + " refused: claim not recorded",
        "The state table did not record the interaction's claim, so /" + name + " was not run: without the claim a replay "
            + "could run it twice. See the 'claim store unavailable' log line.",
        Optional.of(trace.traceId()), Optional.of(name), Optional.of(user(interaction).id()), Optional.of("ClaimNotRecorded"),
        Map.of()));
    close(command, trace, "claim_unavailable", false);
    return InteractionResponse.ephemeral("I could not make sure this runs only once, so I did not run it: nothing was changed "
        + "(trace `" + trace.traceId() + "`). Try again in a minute; if it keeps happening, share the trace id with the team.");
  }

  private InteractionResponse answer(SlashCommand command, Interaction interaction, SignedInteraction signed, Instant arrival,
      ExecutionTrace trace, Deadline inline) {
    String name = interaction.commandName().orElse("");
    DiscordUser user = user(interaction);
    if (command == null) {
      InteractionResponse reply = unknown(name, trace);
      close(null, trace, "unknown_command", false);
      return reply;
    }
    // The command's own deadline is the whole time it may take; only our wait is held to the inline budget.
    Deadline overall = new Deadline(earliest(arrival.plus(runTime(command)), editBy(tokenExpiry(signed, arrival))), clock);
    CommandContext context = new CommandContext(interaction, user, overall, trace, alerts, new Cancellation());
    if (!deferredAtOnce(command, interaction)) {
      // The client a deferral will need, built while the command works rather than at the 2 s mark.
      runner.inBackground(launcher::prepare);
      CommandRunner.Outcome outcome = runner.run(() -> command.handle(context), inline.remaining(), context.cancellation());
      if (!outcome.timedOut()) {
        InteractionResponse reply = outcome.response().orElseGet(() -> failed(context, outcome.failure().orElseThrow()));
        close(command, trace, null, false);
        return reply;
      }
    }
    return defer(command, context, signed, arrival, inline);
  }

  private InteractionResponse defer(SlashCommand command, CommandContext context, SignedInteraction signed, Instant arrival,
      Deadline inline) {
    ExecutionTrace trace = context.trace();
    String name = command.definition().name();
    String reason = command.changesSomething(context.interaction()) ? "changes something: runs once, in the deferred half"
        : command.alwaysDeferred() ? "always deferred"
        : "not finished within the " + timing.inlineBudget().toMillis() + " ms inline budget";
    ExecutionTrace.Step step = trace.step("defer");
    try {
      launcher.launch(new DeferredJob(trace.traceId(), signed, arrival, clock.instant()));
    } catch (JobLaunchException | RuntimeException e) {
      step.fail(ExecutionTrace.describe(e));
      trace.fail("could not defer: " + ExecutionTrace.describe(e));
      observability.metrics().deferredJob("launch_failed");
      LOG.error("could not hand /{} to its deferred half", name, e);
      context.alert(Severity.ERROR, "Command /" + name + " could not be deferred", ExecutionTrace.describe(e),
          e.getClass().getSimpleName());
      close(command, trace, "defer_failed", false);
      return InteractionResponse.ephemeral("This is taking longer than Discord allows, and I could not hand it to a "
          + "background worker (trace `" + trace.traceId() + "`). Try again in a minute.");
    }
    step.ok(reason);
    observability.metrics().deferredJob("launched");
    // Stored while still running: the deferred half stores the finished trace under the same id.
    TraceRecord record = trace.snapshot();
    if (command.recordsTrace()) {
      store(record, true);
    }
    observability.tracing().get().record(record, observability.stage());
    // cancelled_calls: the inline attempt's upstream calls still running when it was given up, now aborted.
    LOG.info("command deferred", kv("deferred_after_ms", Duration.between(arrival, clock.instant()).toMillis()),
        kv("reason", reason), kv("cancelled_calls", context.cancellation().cancelledWork()));
    return InteractionResponse.deferred(command.ephemeral());
  }

  /**
   * The deferred half, unclaimed: for tests and tools that run a job outside the {@link DeferredJobRunner}.
   *
   * @see #resume(Interaction, DeferredJob, Instant, ReplyEditor, JobClaim)
   */
  public void resume(Interaction interaction, DeferredJob job, Instant tokenExpiry, ReplyEditor editor) {
    resume(interaction, job, tokenExpiry, editor, JobClaim.unclaimed(clock));
  }

  /**
   * The deferred half: runs the command until its deadline (never past the token's lifetime) and edits
   * the deferred reply with the result. Every ending edits the reply, so no "thinking…" is left behind:
   * a failure or a timeout with a short error, raising an alert. While the command runs, the job's lease
   * is renewed; if another attempt has taken the job over meanwhile, this one stops and leaves the reply
   * (and the trace) to it. The job is marked done after the reply is edited.
   *
   * @param tokenExpiry when Discord stops accepting edits of this interaction's reply
   * @param claim this attempt's hold on the job, with what earlier attempts recorded
   */
  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  void resume(Interaction interaction, DeferredJob job, Instant tokenExpiry, ReplyEditor editor, JobClaim claim) {
    String name = interaction.commandName().orElse("");
    DiscordUser user = user(interaction);
    ExecutionTrace trace = new ExecutionTrace(job.traceId(), interaction.id(), name, user.id(), interaction.guildId(),
        interaction.channelId(), job.arrival(), clock, observability.redactor());
    trace.addStep("inline attempt", TraceStatus.OK, job.arrival(), Duration.between(job.arrival(), job.deferredAt()),
        "deferred to a background run");
    try (LogContext ignored = LogContext.forCommand(trace.traceId(), interaction.id(), user.id(), name)) {
      Progress progress = claim.progress();
      if (progress.resumed()) {
        trace.addStep("resume", TraceStatus.OK, clock.instant(), Duration.ZERO,
            "taken over from an attempt that stopped; recorded: " + String.join(", ", progress.recorded().keySet()));
      }
      Instant editBy = editBy(tokenExpiry);
      // A retry after a crash comes a minute or more later: it gets the deferred timeout anew, within the token's life.
      Instant from = progress.resumed() ? clock.instant() : job.arrival();
      SlashCommand command = registry.find(name).orElse(null);
      Deadline deadline = new Deadline(earliest(from.plus(runTime(command)), editBy), clock);
      CommandContext context = new CommandContext(interaction, user, deadline, trace, alerts, new Cancellation(), progress,
          new DeferredReplyUpdates(editor, interaction, claim, editBy, clock));
      String status = null;
      InteractionResponse reply;
      if (command == null) {
        // Only possible across versions: the inline half knew a command this one does not.
        status = "unknown_command";
        reply = unknown(name, trace);
      } else {
        CommandRunner.Outcome outcome = runner.run(() -> command.handle(context), deadline.remaining(), context.cancellation(),
            claims.renewEvery(), claim::renew);
        if (outcome.timedOut()) {
          status = "abandoned";
          reply = abandoned(context, Duration.between(job.arrival(), clock.instant()));
        } else if (outcome.failure().orElse(null) instanceof ProgressNotRecordedException e) {
          if (e.takenOver()) {
            takenOver(command, trace);
            return;
          }
          status = "progress_not_recorded";
          reply = progressNotRecorded(context, e);
        } else {
          reply = outcome.response().orElseGet(() -> failed(context, outcome.failure().orElseThrow()));
        }
      }
      // A last look before the edit: an attempt that lost the job must not overwrite the reply of the one that has it.
      if (!claim.renew()) {
        takenOver(command, trace);
        return;
      }
      deliver(editor, context, reply, tokenExpiry);
      claim.finish();
      close(command, trace, status, true);
    }
  }

  /**
   * The deferred half of a command that changes something, when its job's claim could not be recorded:
   * the command is not run, and the reply says so.
   */
  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  void refuseUnclaimed(Interaction interaction, DeferredJob job, Instant tokenExpiry, ReplyEditor editor) {
    String name = interaction.commandName().orElse("");
    DiscordUser user = user(interaction);
    ExecutionTrace trace = new ExecutionTrace(job.traceId(), interaction.id(), name, user.id(), interaction.guildId(),
        interaction.channelId(), job.arrival(), clock, observability.redactor());
    try (LogContext ignored = LogContext.forCommand(trace.traceId(), interaction.id(), user.id(), name)) {
      CommandContext context = new CommandContext(interaction, user, new Deadline(editBy(tokenExpiry), clock), trace, alerts,
          new Cancellation());
      trace.addStep("claim", TraceStatus.ERROR, clock.instant(), Duration.ZERO, "job claim not recorded");
      trace.fail("refused: the job's claim could not be recorded");
      context.alert(Severity.ERROR, "Command /" + name + " refused: claim not recorded",
          "The state table did not record the deferred job's claim, so /" + name + " was not run: without the claim a "
              + "duplicate or retried job could run it twice. See the 'claim store unavailable' log line.", "ClaimNotRecorded");
      deliver(editor, context, InteractionResponse.ephemeral("I could not make sure this runs only once, so this attempt did not "
          + "run it (trace `" + trace.traceId() + "`). Nothing was changed by it; check whether it already happened before "
          + "trying again."), tokenExpiry);
      close(registry.find(name).orElse(null), trace, "claim_unavailable", true);
    }
  }

  /** Whether the interaction's command changes something, so that its job must hold a claim to run. */
  boolean changesSomething(Interaction interaction) {
    return registry.find(interaction.commandName().orElse("")).map(command -> command.changesSomething(interaction)).orElse(false);
  }

  private static boolean deferredAtOnce(SlashCommand command, Interaction interaction) {
    return command.alwaysDeferred() || command.changesSomething(interaction);
  }

  /** How long the command may run in all: {@code DEFERRED_TIMEOUT_SECONDS}, or longer when it follows something to its end. */
  private Duration runTime(SlashCommand command) {
    Duration configured = timing.deferredTimeout();
    Optional<Duration> own = command == null ? Optional.empty() : command.runsFor();
    return own.filter(longer -> longer.compareTo(configured) > 0).orElse(configured);
  }

  /** Another attempt holds the job now and will edit the reply: this one ends quietly, its trace not stored over that one's. */
  private void takenOver(SlashCommand command, ExecutionTrace trace) {
    trace.fail("stopped: another attempt has taken this job over");
    LOG.warn("deferred job taken over by another attempt; this one stops without editing the reply");
    observability.metrics().deferredJob("lost");
    close(command, trace, "taken_over", true, false);
  }

  private InteractionResponse progressNotRecorded(CommandContext context, ProgressNotRecordedException e) {
    String name = context.interaction().commandName().orElse("");
    context.trace().fail(e);
    LOG.error("command stopped: its progress could not be recorded", e);
    context.alert(Severity.ERROR, "Command /" + name + " stopped: progress not recorded", ExecutionTrace.describe(e),
        "ProgressNotRecorded");
    return InteractionResponse.ephemeral("I could not record my progress, so I stopped before changing anything more (trace `"
        + context.traceId() + "`). Check what was already done before trying again.");
  }

  private void deliver(ReplyEditor editor, CommandContext context, InteractionResponse reply, Instant tokenExpiry) {
    ExecutionTrace.Step step = context.trace().step("discord.edit @original");
    Duration left = Duration.between(clock.instant(), tokenExpiry);
    try {
      editor.edit(context.interaction(), reply, left.compareTo(EDIT_BUDGET) < 0 ? left : EDIT_BUDGET);
      step.ok();
    } catch (DiscordException e) {
      step.fail(e.kind() + e.discordCode().map(code -> " code " + code).orElse(""));
      context.trace().fail("the reply could not be delivered: " + e.getMessage());
      LOG.error("deferred reply not delivered: {}", e.getMessage());
      context.alert(Severity.ERROR, "Deferred reply not delivered", e.getMessage(), "Discord " + e.kind());
    }
  }

  private InteractionResponse unknown(String name, ExecutionTrace trace) {
    trace.fail("unknown command /" + name);
    LOG.warn("unknown command {}", kv("requested_command", name));
    return InteractionResponse.ephemeral("I don't know the command `/" + name + "`. "
        + "The command list may be out of date; ask an admin to run `register`.");
  }

  private InteractionResponse failed(CommandContext context, Throwable e) {
    String name = context.interaction().commandName().orElse("");
    if (e instanceof WorkersBusyException) {
      // Load, not a fault: no critical alert per refused command (a burst would flood the ops channel).
      context.trace().fail("not run: " + e.getMessage());
      LOG.warn("command not run: {}", e.getMessage());
      return InteractionResponse.ephemeral("The bot is busy with other commands right now and did not run `/" + name
          + "` (trace `" + context.traceId() + "`). Try again in a moment.");
    }
    context.trace().fail(e);
    LOG.error("command failed", e);
    context.alert(Severity.CRITICAL, "Command /" + name + " failed", ExecutionTrace.describe(e), e.getClass().getSimpleName());
    return InteractionResponse.ephemeral("Something went wrong (trace `" + context.traceId() + "`). "
        + "The error has been logged; try again, or share the trace id with the team.");
  }

  private InteractionResponse abandoned(CommandContext context, Duration ran) {
    String name = context.interaction().commandName().orElse("");
    String detail = "No result after " + ran.toSeconds() + " s; stopped before the interaction token expires.";
    context.trace().fail("abandoned: " + detail);
    LOG.error("deferred command abandoned {}", kv("ran_ms", ran.toMillis()));
    context.alert(Severity.ERROR, "Command /" + name + " abandoned", detail, "DeadlineExceeded");
    return InteractionResponse.ephemeral("This took too long and was stopped (trace `" + context.traceId() + "`). "
        + "Try again later; if it keeps happening, share the trace id with the team.");
  }

  /** Ends the trace, stores it, sends it to X-Ray, writes the closing line. */
  private void close(SlashCommand command, ExecutionTrace trace, String status, boolean deferred) {
    close(command, trace, status, deferred, true);
  }

  /** @param store false to keep the trace out of the trace store (another attempt stores the command's) */
  private void close(SlashCommand command, ExecutionTrace trace, String status, boolean deferred, boolean store) {
    trace.complete();
    TraceRecord record = trace.snapshot();
    if (store && (command == null || command.recordsTrace())) {
      store(record, !deferred);
    }
    observability.tracing().get().record(record, observability.stage());
    String outcome = status != null ? status : record.status().id();
    long durationMs = record.durationMs().orElse(0L);
    LOG.info("command completed", kv(LogFields.DURATION_MS, durationMs), kv(LogFields.STATUS, outcome), kv("deferred", deferred));
    observability.metrics().commandCompleted(record.command(), outcome, durationMs, deferred);
  }

  /**
   * Stores a trace. On the reply path a shared store may take its whole call timeout; when that no longer
   * fits before Discord's deadline (a slow deferral hand-off, say), the trace is kept in this container
   * only, and the reply goes out on time.
   */
  private void store(TraceRecord record, boolean onReplyPath) {
    Duration left = Duration.between(clock.instant(), record.startedAt().plus(REPLY_BY));
    if (onReplyPath && left.compareTo(SHARED_STORE_ALLOWANCE) < 0) {
      observability.traces().recordLocally(record);
      LOG.info("trace kept in this container only: {} ms left before Discord's deadline", Math.max(0, left.toMillis()));
    } else if (onReplyPath) {
      observability.traces().recordWithoutWaiting(record);
    } else {
      observability.traces().record(record);
    }
  }

  private static DiscordUser user(Interaction interaction) {
    return interaction.user().orElseThrow(() -> new IllegalArgumentException("a command interaction has a user"));
  }

  /**
   * When Discord stops accepting edits of this interaction's reply: 15 minutes after it signed it. The
   * signature covers the timestamp, so a verified interaction's expiry cannot be made up.
   *
   * @param fallback used as the signing time if the timestamp is not a number (it is, once verified)
   */
  public static Instant tokenExpiry(SignedInteraction signed, Instant fallback) {
    return signedAt(signed, fallback).plus(TOKEN_LIFETIME);
  }

  /**
   * When Discord signed the interaction: its signature covers the timestamp.
   *
   * @param fallback used if the timestamp is not a number (it is, once verified)
   */
  static Instant signedAt(SignedInteraction signed, Instant fallback) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(signed.timestamp()));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Instant editBy(Instant tokenExpiry) {
    return tokenExpiry.minus(EDIT_MARGIN);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
