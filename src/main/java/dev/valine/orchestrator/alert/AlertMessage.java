package dev.valine.orchestrator.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.SecretRedactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Renders an alert as one Discord message with an embed: colour and emoji by severity, the detail, fields
 * for trace, command, user, error type and stage, links, and how many similar alerts were suppressed.
 * Every text is redacted and cut to Discord's embed limits; mentions never ping.
 */
final class AlertMessage {
  // Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
  private static final int TITLE = 256;
  private static final int DESCRIPTION = 4096;
  private static final int FIELD_VALUE = 1024;

  private final SecretRedactor redactor;
  private final String stage;

  AlertMessage(SecretRedactor redactor, String stage) {
    this.redactor = redactor;
    this.stage = stage;
  }

  /** @param raisedAt the embed's timestamp, and with the alert what its nonce is made of */
  ObjectNode render(Alert alert, int suppressedBefore, Instant raisedAt) {
    String title = clean(alert.severity().emoji() + " " + alert.severity().name() + ": " + alert.title(), TITLE);
    ObjectNode message = Jackson.object()
        .put("content", clean(alert.severity().emoji() + " **" + alert.severity().name() + "** · " + alert.title(), 200));
    ObjectNode embed = message.putArray("embeds").addObject()
        .put("title", title)
        .put("description", clean(alert.detail().isEmpty() ? "(no detail)" : alert.detail(), DESCRIPTION))
        .put("color", alert.severity().colour())
        .put("timestamp", raisedAt.toString());
    ArrayNode fields = embed.putArray("fields");
    alert.traceId().ifPresent(id -> field(fields, "Trace", "`" + id + "`", true));
    alert.command().ifPresent(command -> field(fields, "Command", "/" + command, true));
    // In an embed a mention renders as the user's name and never pings; allowed_mentions guards content.
    alert.userId().ifPresent(user -> field(fields, "User", "<@" + user + "> (`" + user + "`)", true));
    alert.errorType().ifPresent(type -> field(fields, "Error type", type, true));
    field(fields, "Stage", stage, true);
    if (suppressedBefore > 0) {
      field(fields, "Suppressed", suppressedBefore + " similar alert" + (suppressedBefore == 1 ? " was" : "s were")
          + " held back in the previous window", false);
    }
    if (!alert.links().isEmpty()) {
      StringBuilder links = new StringBuilder();
      for (Map.Entry<String, String> link : alert.links().entrySet()) {
        links.append("[").append(link.getKey().replace("]", ")")).append("](<").append(link.getValue()).append(">)\n");
      }
      field(fields, "Links", links.toString().strip(), false);
    }
    embed.putObject("footer").put("text", "valine-orchestrator · " + stage);
    message.putObject("allowed_mentions").putArray("parse");
    // With enforce_nonce, a repeat of this post within minutes returns the first message instead of a second:
    // a retry, or the invocation an undelivered alert was handed to posting it while the first post landed.
    message.put("nonce", nonce(alert, raisedAt)).put("enforce_nonce", true);
    return message;
  }

  private void field(ArrayNode fields, String name, String value, boolean inline) {
    fields.addObject().put("name", name).put("value", clean(value, FIELD_VALUE)).put("inline", inline);
  }

  private String clean(String text, int limit) {
    return MessageText.fit(redactor.redact(text), limit);
  }

  /** At most 25 characters, stable for one alert across retries and hand-offs, different for the next alert. */
  static String nonce(Alert alert, Instant raisedAt) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(
          (alert.fingerprint() + "|" + alert.traceId().orElse("") + "|" + raisedAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      return "alrt-" + HexFormat.of().formatHex(hash, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
