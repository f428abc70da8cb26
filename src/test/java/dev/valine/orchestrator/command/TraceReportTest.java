package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceReportTest {
  private static final Instant STARTED = Instant.parse("2026-11-28T06:00:00Z");

  @Test
  void fitsATraceWithManyStepsIn2000CharactersKeepingErrorAndTraceId() {
    List<TraceStep> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      steps.add(new TraceStep("github.runs workflow-number-" + i + ".yml", TraceStatus.OK, STARTED, 12,
          Optional.of("x".repeat(150))));
    }
    TraceRecord trace = new TraceRecord("trace-long", "1", "status", "42", Optional.empty(), Optional.empty(), STARTED,
        Optional.of(STARTED.plusMillis(2400)), TraceStatus.ERROR, steps, Optional.of("E".repeat(1000)),
        Map.of("run", "https://github.com/o/r/actions/runs/1"));

    String text = TraceReport.render(trace, STARTED.plusSeconds(120));

    assertTrue(text.length() <= 2000, "length " + text.length());
    assertTrue(text.contains("Trace `trace-long`"));
    assertTrue(text.contains("**Error:** EEEE"));
    assertTrue(text.contains("more steps"), text);
    assertTrue(text.contains("• run: <https://github.com/o/r/actions/runs/1>"));
    assertTrue(text.contains("2 min ago"));
  }

  @Test
  void saysSoWhenThereAreNoSteps() {
    TraceRecord trace = new TraceRecord("t", "1", "nope", "42", Optional.empty(), Optional.empty(), STARTED,
        Optional.of(STARTED), TraceStatus.ERROR, List.of(), Optional.of("unknown command /nope"), Map.of());

    assertTrue(TraceReport.render(trace, STARTED).contains("No steps recorded."));
  }
}
