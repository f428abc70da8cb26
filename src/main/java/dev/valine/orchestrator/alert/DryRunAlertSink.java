package dev.valine.orchestrator.alert;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.json.Jackson;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code DRY_RUN=true}: logs the message that would have been posted, and posts nothing. */
final class DryRunAlertSink implements AlertSink {
  private static final Logger log = LoggerFactory.getLogger(DryRunAlertSink.class);

  private final String channelId;
  private final AlertMessage message;

  DryRunAlertSink(String channelId, AlertMessage message) {
    this.channelId = channelId;
    this.message = message;
  }

  @Override
  public void deliver(Alert alert, int suppressedBefore, Instant raisedAt) {
    log.info("dry-run: would post alert to channel {}", channelId,
        kv("alert_message", Jackson.text(message.render(alert, suppressedBefore, raisedAt))));
  }
}
