package dev.valine.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a line against the CloudWatch Embedded Metric Format specification: the {@code _aws} member
 * with a millisecond {@code Timestamp} and {@code CloudWatchMetrics} directives, each with a namespace,
 * dimension sets of at most 30 names that are all string members of the line, and metric definitions
 * whose names are numeric members of the line and whose units CloudWatch accepts. Returns the problems.
 */
public final class EmfFormat {
  private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
      "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

  private EmfFormat() {}

  public static List<String> problems(JsonNode line) {
    List<String> problems = new ArrayList<>();
    JsonNode aws = line.path("_aws");
    if (!aws.isObject()) {
      problems.add("no _aws object");
      return problems;
    }
    if (!aws.path("Timestamp").isIntegralNumber() || aws.path("Timestamp").asLong() < 1_000_000_000_000L) {
      problems.add("_aws.Timestamp is not epoch milliseconds");
    }
    JsonNode directives = aws.path("CloudWatchMetrics");
    if (!directives.isArray() || directives.isEmpty()) {
      problems.add("_aws.CloudWatchMetrics is not a non-empty array");
      return problems;
    }
    for (JsonNode directive : directives) {
      if (!directive.path("Namespace").isTextual() || directive.path("Namespace").asText().isBlank()) {
        problems.add("a directive has no Namespace");
      }
      for (JsonNode set : directive.path("Dimensions")) {
        if (!set.isArray() || set.size() > 30) {
          problems.add("a dimension set is not an array of at most 30 names: " + set);
          continue;
        }
        for (JsonNode name : set) {
          if (!line.path(name.asText()).isTextual()) {
            problems.add("dimension " + name + " is not a string member of the line");
          }
        }
      }
      if (!directive.path("Dimensions").isArray()) {
        problems.add("Dimensions is not an array");
      }
      JsonNode metrics = directive.path("Metrics");
      if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
        problems.add("Metrics is not an array of 1 to 100 definitions");
        continue;
      }
      for (JsonNode metric : metrics) {
        String name = metric.path("Name").asText();
        if (name.isEmpty() || !line.path(name).isNumber()) {
          problems.add("metric " + name + " has no numeric member in the line");
        }
        if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
          problems.add("metric " + name + " has unit " + metric.path("Unit") + ", which CloudWatch does not know");
        }
      }
    }
    return problems;
  }
}
