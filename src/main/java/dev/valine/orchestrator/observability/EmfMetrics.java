package dev.valine.orchestrator.observability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * Metrics as CloudWatch Embedded Metric Format: one JSON line on stdout per event, which CloudWatch Logs
 * turns into metrics without an API call (no SDK, no latency, nothing to fail). Namespace
 * {@value #NAMESPACE}; every metric has a {@code Stage} dimension, some a second dimension set (see
 * {@code docs/observability.md}, which the dashboard and alarms in {@code template.yaml} follow).
 *
 * <p>Lines are written whole with one {@code write} call, so they never interleave with log lines.
 */
public final class EmfMetrics implements Metrics {
  public static final String NAMESPACE = "ValineOrchestrator";

  private static final String COUNT = "Count";
  private static final String MILLISECONDS = "Milliseconds";

  private final PrintStream out;
  private final Clock clock;
  private final String stage;

  public EmfMetrics(PrintStream out, Clock clock, String stage) {
    this.out = out;
    this.clock = clock;
    this.stage = stage;
  }

  @Override
  public void commandCompleted(String command, String outcome, long durationMs, boolean deferred) {
    ObjectNode line = directive(List.of(List.of("Stage"), List.of("Stage", "Command", "Outcome")),
        metric("Commands", COUNT), metric("CommandDuration", MILLISECONDS));
    line.put("Command", command).put("Outcome", outcome).put("Commands", 1).put("CommandDuration", durationMs)
        .put("Deferred", deferred);
    write(line);
  }

  @Override
  public void commandReplied(long sinceArrivalMs) {
    write(directive(List.of(List.of("Stage")), metric("ReplyLatency", MILLISECONDS)).put("ReplyLatency", sinceArrivalMs));
  }

  @Override
  public void signatureRejected(String reason) {
    write(directive(List.of(List.of("Stage")), metric("SignatureRejections", COUNT))
        .put("SignatureRejections", 1).put("Reason", reason));
  }

  @Override
  public void coldStart() {
    write(directive(List.of(List.of("Stage")), metric("ColdStarts", COUNT)).put("ColdStarts", 1));
  }

  @Override
  public void alertSent() {
    count("AlertsSent");
  }

  @Override
  public void alertSuppressed() {
    count("AlertsSuppressed");
  }

  @Override
  public void alertFailed() {
    count("AlertsFailed");
  }

  @Override
  public void deferredJob(String outcome) {
    write(directive(List.of(List.of("Stage"), List.of("Stage", "Outcome")), metric("DeferredJobs", COUNT))
        .put("Outcome", outcome).put("DeferredJobs", 1));
  }

  @Override
  public void stateStoreFallback(String store) {
    write(directive(List.of(List.of("Stage"), List.of("Stage", "Store")), metric("StateStoreFallbacks", COUNT))
        .put("Store", store).put("StateStoreFallbacks", 1));
  }

  @Override
  public void workflowDispatch(String workflow, String outcome) {
    write(directive(List.of(List.of("Stage"), List.of("Stage", "Workflow", "Outcome")), metric("Dispatches", COUNT))
        .put("Workflow", workflow).put("Outcome", outcome).put("Dispatches", 1));
  }

  @Override
  public void runFollowed(String workflow, String outcome) {
    write(directive(List.of(List.of("Stage"), List.of("Stage", "Workflow", "Outcome")), metric("FollowedRuns", COUNT))
        .put("Workflow", workflow).put("Outcome", outcome).put("FollowedRuns", 1));
  }

  @Override
  public void verification(String outcome) {
    write(directive(List.of(List.of("Stage"), List.of("Stage", "Outcome")), metric("Verifications", COUNT))
        .put("Outcome", outcome).put("Verifications", 1));
  }

  private void count(String name) {
    write(directive(List.of(List.of("Stage")), metric(name, COUNT)).put(name, 1));
  }

  private static ObjectNode metric(String name, String unit) {
    return Jackson.object().put("Name", name).put("Unit", unit);
  }

  private ObjectNode directive(List<List<String>> dimensionSets, ObjectNode... metrics) {
    ObjectNode line = Jackson.object();
    ObjectNode aws = line.putObject("_aws").put("Timestamp", clock.millis());
    ObjectNode definition = aws.putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
    ArrayNode dimensions = definition.putArray("Dimensions");
    dimensionSets.forEach(set -> set.forEach(dimensions.addArray()::add));
    ArrayNode metricList = definition.putArray("Metrics");
    for (ObjectNode metric : metrics) {
      metricList.add(metric);
    }
    return line.put("Stage", stage);
  }

  private void write(ObjectNode line) {
    byte[] json = Jackson.bytes(line);
    byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
    withNewline[json.length] = '\n';
    // PrintStream never throws on I/O errors, and one write keeps the line whole.
    out.write(withNewline, 0, withNewline.length);
    out.flush();
  }
}
