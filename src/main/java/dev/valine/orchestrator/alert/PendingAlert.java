package dev.valine.orchestrator.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An alert still undelivered when its invocation ended, as it travels to the invocation that delivers
 * it: its content (already redacted), when it was raised, and whether deduplication already let it
 * through. The raising time fixes the message's timestamp and nonce, so a post the first invocation had
 * under way and the one made here show as one message (Discord's {@code enforce_nonce}).
 *
 * @param suppressedBefore present when deduplication decided for this alert, or may have recorded its
 *     decision before the invocation ended: it is posted without deciding again, which would count the
 *     alert as its own duplicate and post nothing
 */
public record PendingAlert(Alert alert, Instant raisedAt, OptionalInt suppressedBefore) {
  /** The most links one alert carries across; an alert names a run or two. */
  static final int MAX_LINKS = 10;

  public PendingAlert {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(raisedAt, "raisedAt");
    Objects.requireNonNull(suppressedBefore, "suppressedBefore");
  }

  /** The JSON a job event carries: field names as in the log lines and the design's alert contract. */
  public ObjectNode toJson() {
    ObjectNode json = Jackson.object()
        .put("severity", alert.severity().id())
        .put("title", alert.title())
        .put("detail", alert.detail())
        .put("raised_at_ms", raisedAt.toEpochMilli());
    alert.traceId().ifPresent(value -> json.put("trace_id", value));
    alert.command().ifPresent(value -> json.put("command", value));
    alert.userId().ifPresent(value -> json.put("user_id", value));
    alert.errorType().ifPresent(value -> json.put("error_type", value));
    ObjectNode links = json.putObject("links");
    alert.links().forEach(links::put);
    suppressedBefore.ifPresent(count -> json.put("suppressed_before", count));
    return json;
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static PendingAlert fromJson(JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("an alert is not a JSON object");
    }
    Severity severity;
    try {
      severity = Severity.valueOf(required(json, "severity").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("alert field 'severity' is not one of critical, error, warning, info");
    }
    JsonNode raisedAt = json.path("raised_at_ms");
    if (!raisedAt.isIntegralNumber()) {
      throw new IllegalArgumentException("alert field 'raised_at_ms' is missing or not epoch milliseconds");
    }
    JsonNode suppressed = json.path("suppressed_before");
    if (!suppressed.isMissingNode() && (!suppressed.isInt() || suppressed.intValue() < 0)) {
      throw new IllegalArgumentException("alert field 'suppressed_before' is not a count");
    }
    Alert alert = new Alert(severity, required(json, "title"), textOrEmpty(json, "detail"), optional(json, "trace_id"),
        optional(json, "command"), optional(json, "user_id"), optional(json, "error_type"), links(json.path("links")));
    return new PendingAlert(alert, Instant.ofEpochMilli(raisedAt.longValue()),
        suppressed.isMissingNode() ? OptionalInt.empty() : OptionalInt.of(suppressed.intValue()));
  }

  private static String required(JsonNode json, String field) {
    return Jackson.text(json, field).filter(value -> !value.isEmpty())
        .orElseThrow(() -> new IllegalArgumentException("alert field '" + field + "' is missing or not a string"));
  }

  private static String textOrEmpty(JsonNode json, String field) {
    return Jackson.text(json, field).orElse("");
  }

  private static Optional<String> optional(JsonNode json, String field) {
    return Jackson.text(json, field);
  }

  private static Map<String, String> links(JsonNode json) {
    Map<String, String> links = new LinkedHashMap<>();
    if (json.isObject()) {
      for (Map.Entry<String, JsonNode> link : json.properties()) {
        if (links.size() < MAX_LINKS && link.getValue().isTextual()) {
          links.put(link.getKey(), link.getValue().asText());
        }
      }
    }
    return links;
  }
}
