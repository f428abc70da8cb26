package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One timed step of a command, e.g. {@code github.runs deploy.yml}; detail is already redacted. */
public record TraceStep(String name, TraceStatus status, Instant startedAt, long durationMs, Optional<String> detail) {
  public TraceStep {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(detail, "detail");
  }

  ObjectNode toJson() {
    ObjectNode json = Jackson.object().put("name", name).put("status", status.id()).put("duration_ms", durationMs)
        .put("started_at", startedAt.toString());
    detail.ifPresent(text -> json.put("detail", text));
    return json;
  }

  /** Reads what {@link #toJson} wrote. */
  static TraceStep fromJson(com.fasterxml.jackson.databind.JsonNode json) {
    return new TraceStep(json.path("name").asText(), TraceStatus.fromId(json.path("status").asText()),
        Instant.parse(json.path("started_at").asText()), json.path("duration_ms").asLong(), Jackson.text(json, "detail"));
  }
}
