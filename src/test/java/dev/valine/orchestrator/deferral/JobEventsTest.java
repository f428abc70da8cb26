package dev.valine.orchestrator.deferral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.AlertService;
import dev.valine.orchestrator.alert.PendingAlert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JobEventsTest {
  // Bytes a JSON re-encoding would change (spacing, escapes, non-ASCII): the signature covers them exactly.
  private static final byte[] BODY = "{\"type\": 2,\"data\":{\"name\":\"status\"},\"note\":\"caf\u00e9 \\u00e9\"}"
      .getBytes(StandardCharsets.UTF_8);
  private static final DeferredJob JOB = new DeferredJob("1-6748c2a0-0123456789abcdef01234567",
      new SignedInteraction(BODY, "ab".repeat(64), "1764309600"),
      Instant.ofEpochMilli(1764309600123L), Instant.ofEpochMilli(1764309602125L));

  private static final PendingAlert ALERT = new PendingAlert(new Alert(Severity.ERROR, "GitHub call failed",
      "Fetching runs of `deploy.yml`: GitHub is having trouble (HTTP 502).", Optional.of("1-6748c2a0-0123456789abcdef01234567"),
      Optional.of("status"), Optional.of("53908232506183680"), Optional.of("GitHub SERVER_ERROR"),
      Map.of("run", "https://github.com/octo-org/deploy-service/actions/runs/1")), Instant.ofEpochMilli(1764309600456L),
      OptionalInt.of(2));
  private static final DeferredJob HAND_OFF = DeferredJob.alerts(JOB.traceId(), JOB.interaction(), JOB.arrival(),
      Instant.ofEpochMilli(1764309602300L), List.of(ALERT, new PendingAlert(new Alert(Severity.CRITICAL, "Command /status failed", "",
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of()), Instant.ofEpochMilli(1764309600500L),
          OptionalInt.empty())));

  @Test
  void decodesWhatItEncodesWithTheBodyByteForByte() throws Exception {
    DeferredJob decoded = JobEvents.decode(Jackson.parse(JobEvents.encode(JOB)));

    assertEquals(JOB, decoded);
    assertArrayEquals(BODY, decoded.interaction().body());
  }

  @Test
  void decodesTheDocumentedFormat() throws Exception {
    String event = "{\"valine_job\":\"deferred_command\",\"version\":1,\"trace_id\":\"abc\",\"arrival_ms\":1764309600123,"
        + "\"deferred_at_ms\":1764309602125,\"interaction\":{\"body_base64\":\"e30=\",\"signature\":\"" + "cd".repeat(64)
        + "\",\"timestamp\":\"1764309600\"}}";

    DeferredJob job = JobEvents.decode(Jackson.parse(event));

    assertEquals("abc", job.traceId());
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), job.interaction().body());
    assertEquals("1764309600", job.interaction().timestamp());
    assertEquals(Instant.ofEpochMilli(1764309600123L), job.arrival());
    assertEquals(Instant.ofEpochMilli(1764309602125L), job.deferredAt());
  }

  @Test
  void tellsJobsFromHttpEvents() throws Exception {
    assertTrue(JobEvents.isJob(Jackson.parse(JobEvents.encode(JOB))));
    assertFalse(JobEvents.isJob(Jackson.parse("{\"version\":\"2.0\",\"requestContext\":{},\"body\":\"{}\"}")));
    assertFalse(JobEvents.isJob(Jackson.parse("[]")));
  }

  @Test
  void rejectsAnotherVersionNamingTheLikelyCause() throws Exception {
    String event = new String(JobEvents.encode(JOB), StandardCharsets.UTF_8).replace("\"version\":1", "\"version\":2");

    MalformedJobException error = assertThrows(MalformedJobException.class, () -> JobEvents.decode(Jackson.parse(event)));

    assertTrue(error.getMessage().contains("deployed while the job was queued"), error.getMessage());
  }

  @Test
  void rejectsMissingFieldsByName() throws Exception {
    MalformedJobException error = assertThrows(MalformedJobException.class,
        () -> JobEvents.decode(Jackson.parse("{\"valine_job\":\"deferred_command\",\"version\":1,\"trace_id\":\"t\"}")));

    assertEquals("field 'interaction.body_base64' is missing or not a string", error.getMessage());
  }

  @Test
  void rejectsABodyThatIsNotBase64() throws Exception {
    String event = new String(JobEvents.encode(JOB), StandardCharsets.UTF_8).replaceFirst("\"body_base64\":\"[^\"]*\"", "\"body_base64\":\"%%%\"");

    MalformedJobException error = assertThrows(MalformedJobException.class, () -> JobEvents.decode(Jackson.parse(event)));

    assertEquals("interaction.body_base64 is not base64", error.getMessage());
  }

  @Test
  void jobToStringShowsNeitherBodyNorSignature() {
    String text = JOB.toString();

    assertFalse(text.contains("status"), text);
    assertFalse(text.contains("abab"), text);
  }

  @Test
  void decodesAnAlertHandOffAsItWasEncoded() throws Exception {
    DeferredJob decoded = JobEvents.decode(Jackson.parse(JobEvents.encode(HAND_OFF)));

    assertEquals(HAND_OFF, decoded);
    assertEquals(DeferredJob.Kind.ALERTS, decoded.kind());
    assertArrayEquals(BODY, decoded.interaction().body(), "the interaction rides along, to be verified again");
  }

  @Test
  void decodesTheDocumentedAlertHandOff() throws Exception {
    String event = "{\"valine_job\":\"alerts\",\"version\":1,\"trace_id\":\"abc\",\"arrival_ms\":1764309600123,"
        + "\"deferred_at_ms\":1764309602125,\"interaction\":{\"body_base64\":\"e30=\",\"signature\":\"" + "cd".repeat(64)
        + "\",\"timestamp\":\"1764309600\"},\"alerts\":[{\"severity\":\"error\",\"title\":\"GitHub call failed\","
        + "\"detail\":\"HTTP 502\",\"raised_at_ms\":1764309600456,\"trace_id\":\"abc\",\"command\":\"status\","
        + "\"user_id\":\"53908232506183680\",\"error_type\":\"GitHub SERVER_ERROR\",\"links\":{},\"suppressed_before\":0}]}";

    DeferredJob job = JobEvents.decode(Jackson.parse(event));

    PendingAlert alert = job.alerts().get(0);
    assertEquals(Severity.ERROR, alert.alert().severity());
    assertEquals("GitHub call failed", alert.alert().title());
    assertEquals(Optional.of("GitHub SERVER_ERROR"), alert.alert().errorType());
    assertEquals(Instant.ofEpochMilli(1764309600456L), alert.raisedAt());
    assertEquals(OptionalInt.of(0), alert.suppressedBefore());
  }

  @Test
  void refusesAnAlertHandOffWithMoreAlertsThanASenderHolds() throws Exception {
    DeferredJob tooMany = DeferredJob.alerts("t", JOB.interaction(), JOB.arrival(), JOB.deferredAt(),
        Collections.nCopies(AlertService.CAPACITY + 1, ALERT));

    MalformedJobException error = assertThrows(MalformedJobException.class,
        () -> JobEvents.decode(Jackson.parse(JobEvents.encode(tooMany))));

    assertEquals("field 'alerts' is not a list of 1 to 16 alerts", error.getMessage());
  }

  @Test
  void refusesAnAlertWithAnUnknownSeverity() throws Exception {
    String event = new String(JobEvents.encode(HAND_OFF), StandardCharsets.UTF_8).replace("\"severity\":\"error\"", "\"severity\":\"dire\"");

    MalformedJobException error = assertThrows(MalformedJobException.class, () -> JobEvents.decode(Jackson.parse(event)));

    assertEquals("alert field 'severity' is not one of critical, error, warning, info", error.getMessage());
  }
}
