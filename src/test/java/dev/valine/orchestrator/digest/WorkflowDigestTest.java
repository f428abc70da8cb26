package dev.valine.orchestrator.digest;

import static dev.valine.orchestrator.digest.Runs.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.github.CompletedRuns;
import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WorkflowDigestTest {
  private static final Instant T = Instant.parse("2026-12-01T06:00:00Z");

  @Test
  void countsSuccessesFailuresAndTheRestApart() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(
        completed(7, "success", T.plusSeconds(600), Duration.ofMinutes(1)),
        completed(6, "failure", T.plusSeconds(500), Duration.ofMinutes(3)),
        completed(5, "timed_out", T.plusSeconds(400), Duration.ofMinutes(4)),
        completed(4, "startup_failure", T.plusSeconds(300), Duration.ofSeconds(2)),
        completed(3, "cancelled", T.plusSeconds(200), Duration.ofMinutes(30)),
        completed(2, "skipped", T.plusSeconds(100), Duration.ZERO),
        completed(1, "success", T, Duration.ofMinutes(2))), false));

    assertEquals(7, digest.runs());
    assertEquals(2, digest.successes());
    assertEquals(3, digest.failures(), "failure, timed_out and startup_failure");
    assertEquals(2, digest.otherRuns(), "cancelled and skipped");
    assertEquals(OptionalInt.of(40), digest.successRate(), "2 of the 5 that succeeded or failed");
  }

  @Test
  void theMedianOfAnOddCountIsTheMiddleDuration() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(
        completed(3, "success", T, Duration.ofMinutes(9)),
        completed(2, "failure", T, Duration.ofMinutes(1)),
        completed(1, "success", T, Duration.ofMinutes(4))), false));

    assertEquals(Optional.of(Duration.ofMinutes(4)), digest.median());
    assertEquals(Optional.of(Duration.ofMinutes(9)), digest.slowest());
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(
        completed(4, "success", T, Duration.ofMinutes(10)),
        completed(3, "success", T, Duration.ofMinutes(2)),
        completed(2, "success", T, Duration.ofMinutes(1)),
        completed(1, "failure", T, Duration.ofMinutes(4))), false));

    assertEquals(Optional.of(Duration.ofMinutes(3)), digest.median());
    assertEquals(Optional.of(Duration.ofMinutes(10)), digest.slowest());
  }

  @Test
  void cancelledAndSkippedRunsLeaveTheDurationsAlone() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(
        completed(2, "cancelled", T, Duration.ofHours(5)),
        completed(1, "success", T, Duration.ofMinutes(2))), false));

    assertEquals(Optional.of(Duration.ofMinutes(2)), digest.slowest());
    assertEquals(Optional.of(Duration.ofMinutes(2)), digest.median());
  }

  @Test
  void theRateIsRoundedDownSoThatOnlyNoFailureIsAHundredPercent() {
    List<WorkflowRun> runs = new ArrayList<>();
    for (int i = 1; i <= 199; i++) {
      runs.add(completed(i, "success", T, Duration.ofMinutes(1)));
    }
    runs.add(completed(200, "failure", T, Duration.ofMinutes(1)));

    assertEquals(OptionalInt.of(99), WorkflowDigest.of("deploy.yml", new CompletedRuns(runs, false)).successRate());
  }

  @Test
  void theNewestFailureIsTheLastCreated() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(
        completed(11, "failure", T.plusSeconds(60), Duration.ofMinutes(1)),
        completed(12, "timed_out", T.plusSeconds(120), Duration.ofMinutes(1)),
        completed(13, "success", T.plusSeconds(180), Duration.ofMinutes(1))), false));

    assertEquals(12, digest.newestFailure().orElseThrow().runNumber());
  }

  @Test
  void noRunsHaveNoRateNoDurationsAndNoFailure() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(), false));

    assertEquals(0, digest.runs());
    assertEquals(OptionalInt.empty(), digest.successRate());
    assertEquals(Optional.empty(), digest.median());
    assertEquals(Optional.empty(), digest.slowest());
    assertTrue(digest.newestFailure().isEmpty());
  }

  @Test
  void onlyCancelledRunsHaveNoRate() {
    WorkflowDigest digest = WorkflowDigest.of("deploy.yml", new CompletedRuns(List.of(
        completed(1, "cancelled", T, Duration.ofMinutes(1))), false));

    assertEquals(OptionalInt.empty(), digest.successRate());
    assertEquals(1, digest.otherRuns());
  }
}
