package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Json;
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
    ObjectNode json = Json.object().put("name", name).put("status", status.id()).put("duration_ms", durationMs);
    detail.ifPresent(text -> json.put("detail", text));
    return json;
  }
}
