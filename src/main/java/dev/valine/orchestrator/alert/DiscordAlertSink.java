package dev.valine.orchestrator.alert;

import dev.valine.orchestrator.discord.DiscordClient;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Posts alerts to the ops channel ({@code ALERT_CHANNEL_ID}) through the bot's Discord client. */
final class DiscordAlertSink implements AlertSink {
  // Alerts are delivered off the reply path, so they can afford Discord's rate-limit waits; an invocation
  // waits for them only as long as it can spare (AlertService#settle).
  private static final Duration BUDGET = Duration.ofSeconds(10);

  private final Supplier<DiscordClient> discord;
  private final String channelId;
  private final AlertMessage message;

  DiscordAlertSink(Supplier<DiscordClient> discord, String channelId, AlertMessage message) {
    this.discord = discord;
    this.channelId = channelId;
    this.message = message;
  }

  @Override
  public void deliver(Alert alert, int suppressedBefore, Instant raisedAt) throws Exception {
    discord.get().createMessage(channelId, message.render(alert, suppressedBefore, raisedAt), BUDGET);
  }
}
