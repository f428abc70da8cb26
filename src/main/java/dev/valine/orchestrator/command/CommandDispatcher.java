package dev.valine.orchestrator.command;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.observability.LogContext;
import dev.valine.orchestrator.time.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the command an interaction names: sets the per-command log context, gives the command its
 * deadline, turns an unexpected failure into a short ephemeral error with the trace id (never a stack
 * trace), and writes one "command completed" line with {@code duration_ms} and {@code status}.
 */
public final class CommandDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

  private final CommandRegistry registry;
  private final Duration budget;
  private final Clock clock;
  private final Supplier<String> traceIds;

  public CommandDispatcher(CommandRegistry registry, Duration budget, Clock clock, Supplier<String> traceIds) {
    this.registry = registry;
    this.budget = budget;
    this.clock = clock;
    this.traceIds = traceIds;
  }

  /**
   * @param arrival when the request reached us, the start of the command's budget
   */
  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  public InteractionResponse dispatch(Interaction interaction, Instant arrival) {
    String name = interaction.commandName().orElse("");
    DiscordUser user = interaction.user().orElseThrow(() -> new IllegalArgumentException("a command interaction has a user"));
    String traceId = traceIds.get();
    long started = clock.millis();
    String status = "ok";
    try (LogContext ignored = LogContext.forCommand(traceId, interaction.id(), user.id(), name)) {
      try {
        SlashCommand command = registry.find(name).orElse(null);
        if (command == null) {
          status = "unknown_command";
          log.warn("unknown command {}", kv("requested_command", name));
          return InteractionResponse.ephemeral("I don't know the command `/" + name + "`. "
              + "The command list may be out of date; ask an admin to run `register`.");
        }
        CommandContext context = new CommandContext(interaction, user, Deadline.of(arrival, budget, clock), traceId);
        return command.handle(context);
      } catch (Exception | LinkageError e) {
        status = "error";
        log.error("command failed", e);
        return InteractionResponse.ephemeral("Something went wrong (trace `" + traceId + "`). "
            + "The error has been logged; try again, or share the trace id with the team.");
      } finally {
        log.info("command completed {} {}", kv("duration_ms", clock.millis() - started), kv("status", status));
      }
    }
  }
}
