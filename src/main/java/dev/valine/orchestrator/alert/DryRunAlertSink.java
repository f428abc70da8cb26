package dev.valine.orchestrator.alert;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.json.Jackson;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code DRY_RUN=true}: logs the message that would have been posted, and posts nothing. */
final class DryRunAlertSink implements AlertSink {
  private static final Logger log = LoggerFactory.getLogger(DryRunAlertSink.class);

  private final String channelId;
  private final AlertMessage message;
  private final Clock clock;

  DryRunAlertSink(String channelId, AlertMessage message, Clock clock) {
    this.channelId = channelId;
    this.message = message;
    this.clock = clock;
  }

  @Override
  public void deliver(Alert alert, int suppressedBefore) {
    log.info("dry-run: would post alert to channel {}", channelId,
        kv("alert_message", Jackson.text(message.render(alert, suppressedBefore, clock.instant()))));
  }
}
