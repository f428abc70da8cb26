package dev.valine.orchestrator.command;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.time.Deadline;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command gets to work with for one invocation.
 *
 * @param trace the execution trace: record steps and links on it; its trace id is in every log line
 * @param alerts the ops-channel alerter; prefer {@link #alert}, which fills in who and what
 * @param cancellation register every asynchronous upstream call with it: when this run is given up (the
 *     inline budget is spent and the deferred half starts over), the calls are cancelled rather than left
 *     running
 * @param progress what this command has done so far, recorded with its job's claim: a command that
 *     changes something records each act there, and a job retried after a crash finds it
 * @param updates shows interim states in the deferred reply, for commands that follow something to its end
 */
public record CommandContext(Interaction interaction, DiscordUser user, Deadline deadline, ExecutionTrace trace, Alerter alerts,
    Cancellation cancellation, Progress progress, ReplyUpdates updates) {
  public CommandContext {
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(cancellation, "cancellation");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(updates, "updates");
  }

  /** With no reply to update. */
  public CommandContext(Interaction interaction, DiscordUser user, Deadline deadline, ExecutionTrace trace, Alerter alerts,
      Cancellation cancellation, Progress progress) {
    this(interaction, user, deadline, trace, alerts, cancellation, progress, ReplyUpdates.NONE);
  }

  /** With progress kept for this run only, as in the inline half. */
  public CommandContext(Interaction interaction, DiscordUser user, Deadline deadline, ExecutionTrace trace, Alerter alerts,
      Cancellation cancellation) {
    this(interaction, user, deadline, trace, alerts, cancellation, Progress.forThisRunOnly());
  }

  public String traceId() {
    return trace.traceId();
  }

  /**
   * Raises an alert about this command, with its trace id, command name, user and links filled in, for
   * failures the team must act on (a dispatch that failed, a verification that did not pass).
   */
  public void alert(Severity severity, String title, String detail, String errorType) {
    alerts.raise(new Alert(severity, title, detail, Optional.of(trace.traceId()), interaction.commandName(),
        Optional.of(user.id()), Optional.of(errorType), trace.snapshot().links()));
  }
}
