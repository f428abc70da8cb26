package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.EmfFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmfMetricsTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00.123Z");

  /** Every line one call writes, parsed. */
  private static List<JsonNode> lines(Consumer<Metrics> emit) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    emit.accept(new EmfMetrics(new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC), "prod"));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      lines.add(Jackson.parse(line));
    }
    return lines;
  }

  private static JsonNode only(Consumer<Metrics> emit) throws IOException {
    List<JsonNode> lines = lines(emit);
    assertEquals(1, lines.size(), "one line per event");
    assertEquals(List.of(), EmfFormat.problems(lines.get(0)), lines.get(0).toString());
    return lines.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"command", "replied", "signature", "cold", "sent", "suppressed", "failed", "deferred", "fallback", "dispatch", "followed",
      "verification"})
  void everyEventIsOneValidEmfLineInOurNamespaceWithTheStage(String event) throws IOException {
    JsonNode line = only(metrics -> {
      switch (event) {
        case "command" -> metrics.commandCompleted("status", "ok", 143, false);
        case "replied" -> metrics.commandReplied(180);
        case "signature" -> metrics.signatureRejected("stale_timestamp");
        case "cold" -> metrics.coldStart();
        case "sent" -> metrics.alertSent();
        case "suppressed" -> metrics.alertSuppressed();
        case "failed" -> metrics.alertFailed();
        case "fallback" -> metrics.stateStoreFallback("traces");
        case "dispatch" -> metrics.workflowDispatch("deploy", "dispatched");
        case "followed" -> metrics.runFollowed("deploy", "success");
        case "verification" -> metrics.verification("passed");
        default -> metrics.deferredJob("launched");
      }
    });

    assertEquals("ValineOrchestrator", line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText());
    assertEquals(NOW.toEpochMilli(), line.path("_aws").path("Timestamp").asLong());
    assertEquals("prod", line.path("Stage").asText());
    assertEquals("[\"Stage\"]", line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").get(0).toString(),
        "every metric has a per-stage series, which the alarms and dashboard use");
  }

  @Test
  void commandLineCarriesCountDurationAndPerCommandDimensions() throws IOException {
    JsonNode line = only(metrics -> metrics.commandCompleted("status", "error", 2450, true));

    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertEquals(Jackson.parse("[[\"Stage\"],[\"Stage\",\"Command\",\"Outcome\"]]"), directive.path("Dimensions"));
    assertEquals(Jackson.parse("[{\"Name\":\"Commands\",\"Unit\":\"Count\"},{\"Name\":\"CommandDuration\",\"Unit\":\"Milliseconds\"}]"),
        directive.path("Metrics"));
    assertEquals(1, line.path("Commands").asInt());
    assertEquals(2450, line.path("CommandDuration").asLong());
    assertEquals("status", line.path("Command").asText());
    assertEquals("error", line.path("Outcome").asText());
    assertTrue(line.path("Deferred").asBoolean());
  }

  @Test
  void deferredJobsAreCountedPerOutcome() throws IOException {
    JsonNode line = only(metrics -> metrics.deferredJob("duplicate"));

    assertEquals(Jackson.parse("[[\"Stage\"],[\"Stage\",\"Outcome\"]]"), line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions"));
    assertEquals("duplicate", line.path("Outcome").asText());
    assertEquals(1, line.path("DeferredJobs").asInt());
  }

  @Test
  void dispatchesAreCountedPerWorkflowAndOutcome() throws IOException {
    JsonNode line = only(metrics -> metrics.workflowDispatch("diagnose", "failed"));

    assertEquals(Jackson.parse("[[\"Stage\"],[\"Stage\",\"Workflow\",\"Outcome\"]]"),
        line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions"));
    assertEquals("diagnose", line.path("Workflow").asText());
    assertEquals("failed", line.path("Outcome").asText());
    assertEquals(1, line.path("Dispatches").asInt());
  }

  @Test
  void verificationsAreCountedPerOutcome() throws IOException {
    JsonNode line = only(metrics -> metrics.verification("failed"));

    assertEquals("failed", line.path("Outcome").asText());
    assertEquals(1, line.path("Verifications").asInt());
  }

  @Test
  void signatureRejectionKeepsTheReasonOutOfTheDimensions() throws IOException {
    JsonNode line = only(metrics -> metrics.signatureRejected("bad_signature"));

    assertEquals("bad_signature", line.path("Reason").asText());
    assertEquals(1, line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").size());
  }

  @Test
  void theCheckerCatchesWhatCloudWatchWouldDrop() throws IOException {
    JsonNode broken = Jackson.parse("{\"_aws\":{\"Timestamp\":1764309600123,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
        + "\"Dimensions\":[[\"Stage\"]],\"Metrics\":[{\"Name\":\"Commands\",\"Unit\":\"Calls\"}]}]},\"Commands\":\"1\"}");

    List<String> problems = EmfFormat.problems(broken);

    assertEquals(List.of("dimension \"Stage\" is not a string member of the line", "metric Commands has no numeric member in the line",
        "metric Commands has unit \"Calls\", which CloudWatch does not know"), problems);
  }
}
