package dev.valine.orchestrator.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Workflow display names to ids, cached per container so that {@code STATUS_WORKFLOWS=Deploy} costs one
 * extra GitHub call per ten minutes, not per command. Thread-safe: readers see one immutable snapshot.
 */
final class WorkflowDirectory {
  private static final Pattern FILE_OR_ID = Pattern.compile("[0-9]+|.+\\.ya?ml");

  private record Snapshot(Map<String, Long> idsByName, List<String> names, Instant loadedAt) {}

  private final Clock clock;
  private final Duration ttl;
  private volatile Snapshot snapshot;

  WorkflowDirectory(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** GitHub's runs endpoint takes a file name or an id directly; only display names need the directory. */
  static boolean isFileNameOrId(String workflow) {
    return FILE_OR_ID.matcher(workflow).matches();
  }

  /** The id for a display name (case-insensitive), empty when unknown or the cache is stale. */
  Optional<Long> idOf(String name) {
    Snapshot current = snapshot;
    if (current == null || Duration.between(current.loadedAt(), clock.instant()).compareTo(ttl) > 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(current.idsByName().get(name.toLowerCase(Locale.ROOT)));
  }

  List<String> names() {
    Snapshot current = snapshot;
    return current == null ? List.of() : current.names();
  }

  /** Replaces the cache with GitHub's {@code workflows} array. */
  void load(JsonNode workflows) {
    Map<String, Long> ids = new LinkedHashMap<>();
    for (JsonNode workflow : workflows) {
      String name = workflow.path("name").asText("");
      if (!name.isEmpty() && workflow.path("id").canConvertToLong()) {
        ids.putIfAbsent(name.toLowerCase(Locale.ROOT), workflow.path("id").asLong());
      }
    }
    List<String> names = new java.util.ArrayList<>();
    workflows.forEach(workflow -> names.add(workflow.path("name").asText("")));
    snapshot = new Snapshot(Map.copyOf(ids), List.copyOf(names), clock.instant());
  }
}
