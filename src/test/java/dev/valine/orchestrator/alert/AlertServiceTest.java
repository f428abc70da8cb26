package dev.valine.orchestrator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Settling as Lambda needs it: whatever has not been delivered when the invocation ends is handed back,
 * and the delivery thread — which, in a frozen process, does not run — never posts it afterwards.
 */
class AlertServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Duration LONG = Duration.ofSeconds(10);

  private final FakeTime time = new FakeTime(NOW);
  private final GatedSink sink = new GatedSink();
  private final AtomicInteger decisions = new AtomicInteger();
  private Deduplicator deduplicator = fingerprint -> {
    decisions.incrementAndGet();
    return new AlertDeduplicator.Decision(true, 0);
  };

  @AfterEach
  void releaseEverything() {
    sink.open();
  }

  private AlertService service() {
    return new AlertService(fingerprint -> deduplicator.decide(fingerprint), sink, new SecretRedactor(), time, Metrics.NONE);
  }

  private static Alert alert(String title) {
    return alert(title, "detail of " + title);
  }

  private static Alert alert(String title, String detail) {
    return new Alert(Severity.ERROR, title, detail, Optional.of("trace-1"), Optional.of("status"), Optional.of("53908232506183680"),
        Optional.of("GitHub SERVER_ERROR"), Map.of());
  }

  /** Records posts; while closed, a post stays on the wire, as in a process frozen mid-request. */
  private static final class GatedSink implements AlertSink {
    final List<String> posted = new CopyOnWriteArrayList<>();
    final List<String> posts = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch started = new CountDownLatch(1);

    void close() {
      gate = new CountDownLatch(1);
      started = new CountDownLatch(1);
    }

    void open() {
      gate.countDown();
    }

    void awaitPostStarted() throws InterruptedException {
      assertTrue(started.await(10, TimeUnit.SECONDS), "a post started");
    }

    @Override
    public void deliver(Alert alert, int suppressedBefore, Instant raisedAt) throws InterruptedException {
      posts.add(alert.title() + " suppressed=" + suppressedBefore + " at " + raisedAt);
      started.countDown();
      gate.await(10, TimeUnit.SECONDS);
      posted.add(alert.title());
    }
  }

  @Test
  void deliversARaisedAlertBeforeSettleReturns() {
    AlertService alerts = service();

    alerts.raise(alert("GitHub call failed"));
    List<PendingAlert> left = alerts.settle(LONG);

    assertEquals(List.of(), left);
    assertEquals(List.of("GitHub call failed"), sink.posted);
    assertEquals(1, alerts.sentCount());
  }

  @Test
  void handsBackAnAlertWhosePostHasNotFinished() throws Exception {
    AlertService alerts = service();
    sink.close();
    alerts.raise(alert("GitHub call failed"));
    sink.awaitPostStarted();

    List<PendingAlert> left = alerts.settle(Duration.ZERO);

    assertEquals(1, left.size());
    assertEquals("GitHub call failed", left.get(0).alert().title());
    assertEquals(NOW, left.get(0).raisedAt(), "its nonce and timestamp stay those of the post under way");
    assertEquals(OptionalInt.of(0), left.get(0).suppressedBefore(), "deduplication already let it through");
  }

  @Test
  void aQueuedAlertHandedBackIsNeverPostedHere() throws Exception {
    AlertService alerts = service();
    sink.close();
    alerts.raise(alert("first"));
    sink.awaitPostStarted();
    alerts.raise(alert("second"));

    List<PendingAlert> left = alerts.settle(Duration.ZERO);
    // The process thaws: the post on the wire lands, and the delivery thread moves on.
    sink.open();
    alerts.raise(alert("third"));
    alerts.settle(LONG);

    assertEquals(List.of("first", "second"), left.stream().map(pending -> pending.alert().title()).toList());
    assertEquals(OptionalInt.empty(), left.get(1).suppressedBefore(), "not decided yet: its new owner decides");
    assertEquals(List.of("first", "third"), sink.posted, "the second went to its new owner only");
  }

  @Test
  void anAlertTakenBackWhileDecidingIsPostedByItsNewOwnerWithoutASecondDecision() throws Exception {
    CountDownLatch deciding = new CountDownLatch(1);
    CountDownLatch decide = new CountDownLatch(1);
    deduplicator = fingerprint -> {
      deciding.countDown();
      try {
        decide.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new AlertDeduplicator.Decision(true, 0);
    };
    AlertService alerts = service();
    alerts.raise(alert("first"));
    assertTrue(deciding.await(10, TimeUnit.SECONDS));

    List<PendingAlert> left = alerts.settle(Duration.ZERO);
    decide.countDown();
    alerts.raise(alert("second"));
    alerts.settle(LONG);

    // A shared deduplicator may have recorded the window already: deciding again would suppress the alert.
    assertEquals(OptionalInt.of(0), left.get(0).suppressedBefore());
    assertEquals(List.of("second"), sink.posted);
  }

  @Test
  void aResumedAlertKeepsItsTimestampAndDecision() {
    AlertService alerts = service();
    Instant raisedElsewhere = NOW.minusSeconds(2);

    alerts.resume(List.of(new PendingAlert(alert("GitHub call failed"), raisedElsewhere, OptionalInt.of(3))));
    alerts.settle(LONG);

    assertEquals(List.of("GitHub call failed suppressed=3 at " + raisedElsewhere), sink.posts);
    assertEquals(0, decisions.get());
  }

  @Test
  void aResumedUndecidedAlertIsDecidedHere() {
    deduplicator = fingerprint -> new AlertDeduplicator.Decision(false, 1);
    AlertService alerts = service();

    alerts.resume(List.of(new PendingAlert(alert("GitHub call failed"), NOW, OptionalInt.empty())));
    alerts.settle(LONG);

    assertEquals(List.of(), sink.posts);
    assertEquals(1, alerts.suppressedCount());
  }

  @Test
  void handsBackAlertsRedacted() throws Exception {
    AlertService alerts = service();
    sink.close();
    alerts.raise(alert("Deferred reply not delivered", "PATCH failed: Authorization: Bot abcdefghijklmnopqrstuvwx"));
    sink.awaitPostStarted();

    PendingAlert left = alerts.settle(Duration.ZERO).get(0);

    assertFalse(left.alert().detail().contains("abcdefghijklmnopqrstuvwx"), left.alert().detail());
    assertTrue(left.alert().detail().contains(SecretRedactor.MASK));
  }

  @Test
  void holdsAtMostItsCapacityAndLogsEachDropOnceRedacted() throws Exception {
    AlertService alerts = service();
    sink.close();
    alerts.raise(alert("alert 1"));
    sink.awaitPostStarted();
    for (int i = 2; i <= AlertService.CAPACITY; i++) {
      alerts.raise(alert("alert " + i));
    }

    try (LogCapture logs = new LogCapture()) {
      alerts.raise(alert("one too many", "token=abcdefghijklmnopqrstuvwx"));

      List<JsonNode> dropped = logs.lines().stream().filter(line -> line.path("message").asText().startsWith("alert dropped")).toList();
      assertEquals(1, dropped.size());
      assertEquals("one too many", dropped.get(0).path("alert_title").asText());
      assertEquals("the alert queue is full (16 alerts waiting)", dropped.get(0).path("reason").asText());
      assertFalse(logs.text().contains("abcdefghijklmnopqrstuvwx"));
    }
    assertEquals(1, alerts.failedCount());
    assertEquals(AlertService.CAPACITY, alerts.settle(Duration.ZERO).size());
  }

  @Test
  void dropLogsEveryAlertOnceWithItsContent() {
    AlertService alerts = service();
    List<PendingAlert> undeliverable = List.of(new PendingAlert(alert("first"), NOW, OptionalInt.empty()),
        new PendingAlert(alert("second"), NOW, OptionalInt.of(0)));

    try (LogCapture logs = new LogCapture()) {
      alerts.drop(undeliverable, "could not be handed on: JobLaunchException: throttled");

      List<JsonNode> dropped = logs.lines().stream().filter(line -> line.path("message").asText().startsWith("alert dropped")).toList();
      assertEquals(List.of("first", "second"), dropped.stream().map(line -> line.path("alert_title").asText()).toList());
      assertEquals("detail of first", dropped.get(0).path("alert_detail").asText());
      assertEquals("trace-1", dropped.get(0).path("alert_trace_id").asText());
      assertEquals("alert dropped: could not be handed on: JobLaunchException: throttled", dropped.get(0).path("message").asText());
    }
    assertEquals(2, alerts.failedCount());
  }
}
