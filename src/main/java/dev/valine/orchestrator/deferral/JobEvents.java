package dev.valine.orchestrator.deferral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import java.time.Instant;
import java.util.Base64;

/**
 * The Lambda event that carries a {@link DeferredJob} from the inline half to the asynchronous
 * invocation, both ways:
 *
 * <pre>{@code
 * {"valine_job": "deferred_command", "version": 1, "trace_id": "…",
 *  "arrival_ms": 1764309600123, "deferred_at_ms": 1764309602125,
 *  "interaction": {"body_base64": "…", "signature": "…", "timestamp": "1764309600"}}
 * }</pre>
 *
 * <p>The body travels as base64 so its bytes, which the signature covers, arrive unchanged. API Gateway
 * and Function URL events never have a {@code valine_job} member, so an HTTP request cannot pass for a
 * job; and a job is only run if its interaction verifies with our public key.
 */
public final class JobEvents {
  static final String KIND_FIELD = "valine_job";
  static final String KIND = "deferred_command";
  static final int VERSION = 1;

  private JobEvents() {}

  public static byte[] encode(DeferredJob job) {
    ObjectNode event = Jackson.object()
        .put(KIND_FIELD, KIND)
        .put("version", VERSION)
        .put("trace_id", job.traceId())
        .put("arrival_ms", job.arrival().toEpochMilli())
        .put("deferred_at_ms", job.deferredAt().toEpochMilli());
    event.putObject("interaction")
        .put("body_base64", Base64.getEncoder().encodeToString(job.interaction().body()))
        .put("signature", job.interaction().signature())
        .put("timestamp", job.interaction().timestamp());
    return Jackson.bytes(event);
  }

  /** Whether a Lambda event is a deferred job rather than an HTTP request. */
  public static boolean isJob(JsonNode event) {
    return event.isObject() && event.has(KIND_FIELD);
  }

  /** @throws MalformedJobException naming what is missing or wrong */
  public static DeferredJob decode(JsonNode event) throws MalformedJobException {
    if (!KIND.equals(event.path(KIND_FIELD).asText())) {
      throw new MalformedJobException("unknown job kind '" + event.path(KIND_FIELD).asText() + "'");
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
    return new DeferredJob(text(event, "", "trace_id"),
        new SignedInteraction(body, text(interaction, "interaction.", "signature"), text(interaction, "interaction.", "timestamp")),
        instant(event, "arrival_ms"), instant(event, "deferred_at_ms"));
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
