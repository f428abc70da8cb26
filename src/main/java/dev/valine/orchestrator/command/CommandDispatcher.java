package dev.valine.orchestrator.command;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.LogContext;
import dev.valine.orchestrator.observability.LogFields;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.time.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the command an interaction names, observed: opens the execution trace and the per-command log
 * context, gives the command its deadline, turns an unexpected failure into a short ephemeral error with
 * the trace id (never a stack trace), then stores the trace, sends it to X-Ray and writes one
 * "command completed" line with {@code duration_ms} and {@code status}.
 */
public final class CommandDispatcher {
  // Obtained on first use: starting logback costs ~100 ms, and a PING, which logs nothing, should not pay it.
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
  }

  private final CommandRegistry registry;
  private final Duration budget;
  private final Clock clock;
  private final Function<Optional<String>, String> traceIds;
  private final Observability observability;
  private final Alerter alerts;

  /**
   * @param traceIds the trace id for a command, given the invocation's X-Ray trace header if any
   */
  public CommandDispatcher(CommandRegistry registry, Duration budget, Clock clock,
      Function<Optional<String>, String> traceIds, Observability observability, Alerter alerts) {
    this.registry = registry;
    this.budget = budget;
    this.clock = clock;
    this.traceIds = traceIds;
    this.observability = observability;
    this.alerts = alerts;
  }

  /**
   * @param arrival when the request reached us, the start of the command's budget
   * @param xrayTraceHeader the invocation's X-Ray trace header, when running under X-Ray
   */
  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  public InteractionResponse dispatch(Interaction interaction, Instant arrival, Optional<String> xrayTraceHeader) {
    String name = interaction.commandName().orElse("");
    DiscordUser user = interaction.user().orElseThrow(() -> new IllegalArgumentException("a command interaction has a user"));
    ExecutionTrace trace = new ExecutionTrace(traceIds.apply(xrayTraceHeader), interaction.id(), name, user.id(),
        interaction.guildId(), interaction.channelId(), clock, observability.redactor());
    SlashCommand command = registry.find(name).orElse(null);
    Deadline deadline = Deadline.of(arrival, budget, clock);
    CommandContext context = new CommandContext(interaction, user, deadline, trace, alerts);
    String status = null;
    try (LogContext ignored = LogContext.forCommand(trace.traceId(), interaction.id(), user.id(), name)) {
      try {
        if (command == null) {
          status = "unknown_command";
          trace.fail("unknown command /" + name);
          Log.LOG.warn("unknown command {}", kv("requested_command", name));
          return InteractionResponse.ephemeral("I don't know the command `/" + name + "`. "
              + "The command list may be out of date; ask an admin to run `register`.");
        }
        return command.handle(context);
      } catch (Exception | LinkageError e) {
        trace.fail(e);
        Log.LOG.error("command failed", e);
        context.alert(Severity.CRITICAL, "Command /" + name + " failed",
            ExecutionTrace.describe(e), e.getClass().getSimpleName());
        return InteractionResponse.ephemeral("Something went wrong (trace `" + trace.traceId() + "`). "
            + "The error has been logged; try again, or share the trace id with the team.");
      } finally {
        trace.complete();
        TraceRecord record = trace.snapshot();
        if (command == null || command.recordsTrace()) {
          observability.traces().record(record);
        }
        observability.tracing().get().record(record, observability.stage());
        // Give alerts raised by this command the time the reply can spare; the rest continue in the background.
        alerts.flush(deadline.remaining());
        Log.LOG.info("command completed", kv(LogFields.DURATION_MS, record.durationMs().orElse(0L)),
            kv(LogFields.STATUS, status != null ? status : record.status().id()));
      }
    }
  }
}
