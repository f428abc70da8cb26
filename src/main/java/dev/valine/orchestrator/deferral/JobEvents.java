package dev.valine.orchestrator.deferral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.alert.AlertService;
import dev.valine.orchestrator.alert.PendingAlert;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Lambda event that carries a {@link DeferredJob} from the inline half to the asynchronous
 * invocation, both ways. The deferred half of a command:
 *
 * <pre>{@code
 * {"valine_job": "deferred_command", "version": 1, "trace_id": "…",
 *  "arrival_ms": 1764309600123, "deferred_at_ms": 1764309602125,
 *  "interaction": {"body_base64": "…", "signature": "…", "timestamp": "1764309600"}}
 * }</pre>
 *
 * <p>Alerts an invocation could not deliver before its reply, with the same members plus the alerts
 * ({@link PendingAlert#toJson()}; {@code deferred_at_ms} is when they were handed on):
 *
 * <pre>{@code
 * {"valine_job": "alerts", "version": 1, "trace_id": "…", "arrival_ms": …, "deferred_at_ms": …,
 *  "interaction": {…},
 *  "alerts": [{"severity": "error", "title": "GitHub call failed", "detail": "…", "raised_at_ms": 1764309600456,
 *              "trace_id": "…", "command": "status", "user_id": "…", "error_type": "GitHub SERVER_ERROR",
 *              "links": {}, "suppressed_before": 0}]}
 * }</pre>
 *
 * <p>The body travels as base64 so its bytes, which the signature covers, arrive unchanged. API Gateway
 * and Function URL events never have a {@code valine_job} member, so an HTTP request cannot pass for a
 * job; and a job is only run if its interaction verifies with our public key.
 */
public final class JobEvents {
  static final String KIND_FIELD = "valine_job";
  static final String KIND = "deferred_command";
  static final String ALERTS_KIND = "alerts";
  static final int VERSION = 1;

  private JobEvents() {}

  public static byte[] encode(DeferredJob job) {
    ObjectNode event = Jackson.object()
        .put(KIND_FIELD, job.kind() == DeferredJob.Kind.COMMAND ? KIND : ALERTS_KIND)
        .put("version", VERSION)
        .put("trace_id", job.traceId())
        .put("arrival_ms", job.arrival().toEpochMilli())
        .put("deferred_at_ms", job.deferredAt().toEpochMilli());
    event.putObject("interaction")
        .put("body_base64", Base64.getEncoder().encodeToString(job.interaction().body()))
        .put("signature", job.interaction().signature())
        .put("timestamp", job.interaction().timestamp());
    if (job.kind() == DeferredJob.Kind.ALERTS) {
      ArrayNode alerts = event.putArray("alerts");
      job.alerts().forEach(alert -> alerts.add(alert.toJson()));
    }
    return Jackson.bytes(event);
  }

  /** Whether a Lambda event is a deferred job rather than an HTTP request. */
  public static boolean isJob(JsonNode event) {
    return event.isObject() && event.has(KIND_FIELD);
  }

  /** @throws MalformedJobException naming what is missing or wrong */
  public static DeferredJob decode(JsonNode event) throws MalformedJobException {
    String kind = event.path(KIND_FIELD).asText();
    if (!KIND.equals(kind) && !ALERTS_KIND.equals(kind)) {
      throw new MalformedJobException("unknown job kind '" + kind + "'");
    }
    if (event.path("version").asInt(-1) != VERSION) {
      throw new MalformedJobException("job version " + event.path("version") + " is not " + VERSION
          + "; the function was probably deployed while the job was queued");
    }
    JsonNode interaction = event.path("interaction");
    byte[] body;
    try {
      body = Base64.getDecoder().decode(text(interaction, "interaction.", "body_base64"));
    } catch (IllegalArgumentException e) {
      throw new MalformedJobException("interaction.body_base64 is not base64");
    }
    String traceId = text(event, "", "trace_id");
    SignedInteraction signed = new SignedInteraction(body, text(interaction, "interaction.", "signature"),
        text(interaction, "interaction.", "timestamp"));
    if (KIND.equals(kind)) {
      return new DeferredJob(traceId, signed, instant(event, "arrival_ms"), instant(event, "deferred_at_ms"));
    }
    return DeferredJob.alerts(traceId, signed, instant(event, "arrival_ms"), instant(event, "deferred_at_ms"), alerts(event));
  }

  private static List<PendingAlert> alerts(JsonNode event) throws MalformedJobException {
    JsonNode array = event.path("alerts");
    // The sender holds no more than this; a longer list was not made by it.
    if (!array.isArray() || array.isEmpty() || array.size() > AlertService.CAPACITY) {
      throw new MalformedJobException("field 'alerts' is not a list of 1 to " + AlertService.CAPACITY + " alerts");
    }
    List<PendingAlert> alerts = new ArrayList<>(array.size());
    for (JsonNode alert : array) {
      try {
        alerts.add(PendingAlert.fromJson(alert));
      } catch (IllegalArgumentException e) {
        throw new MalformedJobException(e.getMessage());
      }
    }
    return alerts;
  }

  private static String text(JsonNode node, String path, String field) throws MalformedJobException {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new MalformedJobException("field '" + path + field + "' is missing or not a string");
    }
    return value.asText();
  }

  private static Instant instant(JsonNode node, String field) throws MalformedJobException {
    JsonNode value = node.path(field);
    if (!value.isIntegralNumber()) {
      throw new MalformedJobException("field '" + field + "' is missing or not epoch milliseconds");
    }
    return Instant.ofEpochMilli(value.longValue());
  }
}
