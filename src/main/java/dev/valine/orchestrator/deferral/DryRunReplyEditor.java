package dev.valine.orchestrator.deferral;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.command.ReplyEditor;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.json.Jackson;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code DRY_RUN=true}: logs the edit a deferred reply would get, and sends nothing to Discord. */
public final class DryRunReplyEditor implements ReplyEditor {
  private static final Logger LOG = LoggerFactory.getLogger(DryRunReplyEditor.class);

  @Override
  public void edit(Interaction interaction, InteractionResponse response, Duration budget) {
    LOG.info("dry-run: would edit the deferred reply", kv("reply", Jackson.text(response.toEditJson())));
  }

  @Override
  public boolean alreadyAnswered(Interaction interaction, Duration budget) {
    return false;
  }
}
