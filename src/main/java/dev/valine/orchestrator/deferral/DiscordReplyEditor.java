package dev.valine.orchestrator.deferral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.ReplyEditor;
import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edits deferred replies through Discord's interaction webhook (the interaction token is the credential;
 * no bot token needed).
 *
 * <p>A warm container can start the deferred half before Discord has taken in our "thinking…" answer;
 * the reply then does not exist yet and Discord says 404. Both calls therefore retry a 404 for a few
 * seconds before believing it.
 */
public final class DiscordReplyEditor implements ReplyEditor {
  /** Message flag LOADING: the reply still shows "thinking…". */
  static final int LOADING_FLAG = 1 << 7;
  private static final Duration FIRST_WAIT = Duration.ofMillis(250);
  private static final Duration NOT_FOUND_PATIENCE = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(DiscordReplyEditor.class);

  private final Supplier<DiscordClient> discord;
  private final Clock clock;
  private final Sleeper sleeper;

  public DiscordReplyEditor(Supplier<DiscordClient> discord, Clock clock, Sleeper sleeper) {
    this.discord = discord;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public void edit(Interaction interaction, InteractionResponse response, Duration budget) throws DiscordException {
    patientlyFor(budget, remaining -> discord.get().editOriginalResponse(interaction.applicationId(), interaction.token(),
        response.toEditJson(), remaining));
  }

  @Override
  public boolean alreadyAnswered(Interaction interaction, Duration budget) {
    try {
      JsonNode reply = patientlyFor(budget,
          remaining -> discord.get().getOriginalResponse(interaction.applicationId(), interaction.token(), remaining));
      return (reply.path("flags").asInt(0) & LOADING_FLAG) == 0;
    } catch (DiscordException e) {
      // Cannot tell; an edit replaces the same message, so going ahead never posts twice.
      LOG.warn("could not read the deferred reply before editing it: {}", e.getMessage());
      return false;
    }
  }

  private interface Call {
    JsonNode send(Duration remaining) throws DiscordException;
  }

  private JsonNode patientlyFor(Duration budget, Call call) throws DiscordException {
    Instant deadline = clock.instant().plus(budget);
    Instant patience = clock.instant().plus(NOT_FOUND_PATIENCE);
    Duration wait = FIRST_WAIT;
    while (true) {
      try {
        return call.send(Duration.between(clock.instant(), deadline));
      } catch (DiscordException e) {
        boolean mayAppear = e.kind() == DiscordException.Kind.NOT_FOUND && e.discordCode().map(code -> code != 10015).orElse(true);
        Instant next = clock.instant().plus(wait);
        if (!mayAppear || next.isAfter(patience) || next.isAfter(deadline)) {
          throw e;
        }
        sleep(wait, e);
        wait = wait.multipliedBy(2);
      }
    }
  }

  private void sleep(Duration wait, DiscordException pending) throws DiscordException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw pending;
    }
  }
}
