package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.json.Jackson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutionTraceTest {
  /** A clock tests move by hand. */
  static final class StepClock extends Clock {
    private Instant now = Instant.parse("2026-11-28T06:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  private final StepClock clock = new StepClock();

  private ExecutionTrace trace() {
    return new ExecutionTrace("trace-1", "1300000000000000001", "status", "53908232506183680", Optional.of("290926798626357999"),
        Optional.of("645027906669510667"), clock, new SecretRedactor());
  }

  @Test
  void timesStepsAndTheWholeCommand() {
    ExecutionTrace trace = trace();
    try (ExecutionTrace.Step step = trace.step("github.runs deploy.yml")) {
      clock.advance(Duration.ofMillis(120));
    }
    clock.advance(Duration.ofMillis(30));
    trace.complete();

    TraceRecord record = trace.snapshot();
    assertEquals(TraceStatus.OK, record.status());
    assertEquals(120, record.steps().get(0).durationMs());
    assertEquals(Optional.of(150L), record.durationMs());
  }

  @Test
  void recordsFailedStepsAndErrorsRedacted() {
    ExecutionTrace trace = trace();
    trace.step("github.runs deploy.yml").fail("HTTP 401 for token=abc123secret");
    trace.fail(new IllegalStateException("password=hunter2 refused"));
    trace.complete();

    TraceRecord record = trace.snapshot();
    assertEquals(TraceStatus.ERROR, record.status());
    assertEquals(Optional.of("HTTP 401 for token=***REDACTED***"), record.steps().get(0).detail());
    assertEquals(Optional.of("IllegalStateException: password=***REDACTED*** refused"), record.error());
  }

  @Test
  void aStepEndsOnlyOnce() {
    ExecutionTrace trace = trace();
    ExecutionTrace.Step step = trace.step("once");
    step.fail("first");
    step.close();

    assertEquals(1, trace.snapshot().steps().size());
    assertEquals(TraceStatus.ERROR, trace.snapshot().steps().get(0).status());
  }

  @Test
  void countsStepsBeyondTheLimitInsteadOfKeepingThem() {
    ExecutionTrace trace = trace();
    for (int i = 0; i < ExecutionTrace.MAX_STEPS + 5; i++) {
      trace.step("step " + i).close();
    }

    TraceRecord record = trace.snapshot();
    assertEquals(ExecutionTrace.MAX_STEPS + 1, record.steps().size());
    assertTrue(record.steps().get(ExecutionTrace.MAX_STEPS).name().contains("5 more steps"));
  }

  @Test
  void isRunningUntilCompleted() {
    ExecutionTrace trace = trace();

    assertEquals(TraceStatus.RUNNING, trace.snapshot().status());
    assertEquals(Optional.empty(), trace.snapshot().durationMs());
  }

  @Test
  void serialisesToTheDesignShapeWithEachStepsStart() throws Exception {
    ExecutionTrace trace = trace();
    try (ExecutionTrace.Step step = trace.step("github.runs deploy.yml")) {
      clock.advance(Duration.ofMillis(40));
      step.ok("3 runs");
    }
    trace.link("deploy.yml", "https://github.com/o/r/actions/runs/1");
    trace.complete();

    assertEquals(Jackson.parse("{\"trace_id\":\"trace-1\",\"correlation_id\":\"1300000000000000001\",\"command\":\"status\","
        + "\"user_id\":\"53908232506183680\",\"guild_id\":\"290926798626357999\",\"channel_id\":\"645027906669510667\","
        + "\"started_at\":\"2026-11-28T06:00:00Z\",\"completed_at\":\"2026-11-28T06:00:00.040Z\",\"duration_ms\":40,"
        + "\"status\":\"ok\",\"steps\":[{\"name\":\"github.runs deploy.yml\",\"status\":\"ok\",\"duration_ms\":40,"
        + "\"started_at\":\"2026-11-28T06:00:00Z\",\"detail\":\"3 runs\"}],\"error\":null,"
        + "\"links\":{\"deploy.yml\":\"https://github.com/o/r/actions/runs/1\"}}"),
        Jackson.parse(Jackson.text(trace.snapshot().toJson())));
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    ExecutionTrace trace = trace();
    try (ExecutionTrace.Step step = trace.step("github.runs deploy.yml")) {
      clock.advance(Duration.ofMillis(40));
      step.fail("SERVER_ERROR HTTP 502");
    }
    trace.fail("GitHub is having trouble");
    trace.link("deploy.yml", "https://github.com/o/r/actions/runs/1");
    trace.complete();
    TraceRecord written = trace.snapshot();

    TraceRecord read = TraceRecord.fromJson(Jackson.parse(Jackson.text(written.toJson())));

    assertEquals(written, read);
  }
}
