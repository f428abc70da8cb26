package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.time.Deadline;
import java.util.Objects;

/**
 * What a command gets to work with for one invocation.
 *
 * @param trace the execution trace: record steps and links on it; its trace id is in every log line
 */
public record CommandContext(Interaction interaction, DiscordUser user, Deadline deadline, ExecutionTrace trace) {
  public CommandContext {
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(trace, "trace");
  }

  public String traceId() {
    return trace.traceId();
  }
}
