package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of one command's execution trace (docs/observability.md, "Following one command"), as stored and as shown by
 * {@code /debug-last}. Every text in it was redacted when it was recorded.
 *
 * @param completedAt empty while the command is running
 * @param links label to URL, in the order they were added
 */
public record TraceRecord(
    String traceId,
    String correlationId,
    String command,
    String userId,
    Optional<String> guildId,
    Optional<String> channelId,
    Instant startedAt,
    Optional<Instant> completedAt,
    TraceStatus status,
    List<TraceStep> steps,
    Optional<String> error,
    Map<String, String> links) {

  public TraceRecord {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(userId, "userId");
    steps = List.copyOf(steps);
    links = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(links));
  }

  /** Wall time from start to completion; empty while running. */
  public Optional<Long> durationMs() {
    return completedAt.map(end -> java.time.Duration.between(startedAt, end).toMillis());
  }

  /** The JSON shape docs/observability.md describes. */
  public ObjectNode toJson() {
    ObjectNode json = Jackson.object()
        .put("trace_id", traceId)
        .put("correlation_id", correlationId)
        .put("command", command)
        .put("user_id", userId)
        .put("guild_id", guildId.orElse(null))
        .put("channel_id", channelId.orElse(null))
        .put("started_at", startedAt.toString())
        .put("completed_at", completedAt.map(Instant::toString).orElse(null));
    durationMs().ifPresentOrElse(ms -> json.put("duration_ms", ms), () -> json.putNull("duration_ms"));
    json.put("status", status.id());
    com.fasterxml.jackson.databind.node.ArrayNode stepArray = json.putArray("steps");
    steps.forEach(step -> stepArray.add(step.toJson()));
    json.put("error", error.orElse(null));
    ObjectNode linkNode = json.putObject("links");
    links.forEach(linkNode::put);
    return json;
  }

  /**
   * Reads what {@link #toJson} wrote, as a store keeps it.
   *
   * @throws IllegalArgumentException if a field is missing or malformed
   */
  public static TraceRecord fromJson(com.fasterxml.jackson.databind.JsonNode json) {
    try {
      List<TraceStep> steps = new java.util.ArrayList<>();
      json.path("steps").forEach(step -> steps.add(TraceStep.fromJson(step)));
      Map<String, String> links = new java.util.LinkedHashMap<>();
      json.path("links").fields().forEachRemaining(link -> links.put(link.getKey(), link.getValue().asText()));
      return new TraceRecord(required(json, "trace_id"), required(json, "correlation_id"), required(json, "command"),
          required(json, "user_id"), Jackson.text(json, "guild_id"), Jackson.text(json, "channel_id"),
          Instant.parse(required(json, "started_at")), Jackson.text(json, "completed_at").map(Instant::parse),
          TraceStatus.fromId(required(json, "status")), steps, Jackson.text(json, "error"), links);
    } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a stored trace: " + e.getMessage(), e);
    }
  }

  private static String required(com.fasterxml.jackson.databind.JsonNode json, String field) {
    return Jackson.text(json, field).orElseThrow(() -> new IllegalArgumentException("field '" + field + "' is missing"));
  }
}
