package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.time.Deadline;
import java.util.Objects;

/**
 * What a command gets to work with for one invocation.
 *
 * @param traceId the id that ties this command's logs, trace and error messages together
 */
public record CommandContext(Interaction interaction, DiscordUser user, Deadline deadline, String traceId) {
  public CommandContext {
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(traceId, "traceId");
  }
}
