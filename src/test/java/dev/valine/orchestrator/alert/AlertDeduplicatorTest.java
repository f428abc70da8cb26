package dev.valine.orchestrator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertDeduplicatorTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));
  private final AlertDeduplicator dedup = new AlertDeduplicator(time, Duration.ofMinutes(5), 100);

  static Alert alert(String title, String traceId) {
    return new Alert(Severity.CRITICAL, title, "detail", Optional.of(traceId), Optional.of("status"), Optional.of("42"),
        Optional.of("IllegalStateException"), Map.of());
  }

  @Test
  void sendsTheFirstAlertOfAFingerprint() {
    assertEquals(new AlertDeduplicator.Decision(true, 0), dedup.decide(alert("Command /status failed", "t1").fingerprint()));
  }

  @Test
  void suppressesDuplicateAlertWithinWindowAndCountsIt() {
    dedup.decide(alert("Command /status failed", "t1").fingerprint());
    time.advance(Duration.ofMinutes(1));

    AlertDeduplicator.Decision second = dedup.decide(alert("Command /status failed", "t2").fingerprint());
    AlertDeduplicator.Decision third = dedup.decide(alert("Command /status failed", "t3").fingerprint());

    assertEquals(new AlertDeduplicator.Decision(false, 1), second, "a different trace id is still the same alert");
    assertEquals(new AlertDeduplicator.Decision(false, 2), third);
  }

  @Test
  void sendsAgainAfterTheWindowSayingHowManyWereSuppressed() {
    String fingerprint = alert("Command /status failed", "t1").fingerprint();
    dedup.decide(fingerprint);
    dedup.decide(fingerprint);
    dedup.decide(fingerprint);

    time.advance(Duration.ofMinutes(5));

    assertEquals(new AlertDeduplicator.Decision(true, 2), dedup.decide(fingerprint));
    assertEquals(new AlertDeduplicator.Decision(false, 1), dedup.decide(fingerprint), "a new window started");
  }

  @Test
  void keepsDifferentFingerprintsApart() {
    dedup.decide(alert("Command /status failed", "t1").fingerprint());

    assertTrue(dedup.decide(alert("GitHub call failed", "t2").fingerprint()).send());
    Alert otherSeverity = new Alert(Severity.ERROR, "Command /status failed", "d", Optional.empty(), Optional.of("status"),
        Optional.empty(), Optional.of("IllegalStateException"), Map.of());
    assertTrue(dedup.decide(otherSeverity.fingerprint()).send());
  }

  @Test
  void dropsEndedWindowsButRemembersSuppressedCounts() {
    dedup.decide("quiet");
    dedup.decide("noisy");
    dedup.decide("noisy");
    time.advance(Duration.ofMinutes(6));

    dedup.decide("fresh");

    assertEquals(2, dedup.size(), "the quiet window ended with nothing to report and was dropped");
    assertEquals(new AlertDeduplicator.Decision(true, 1), dedup.decide("noisy"));
  }

  @Test
  void staysWithinItsMemoryBound() {
    AlertDeduplicator small = new AlertDeduplicator(time, Duration.ofMinutes(5), 10);
    for (int i = 0; i < 50; i++) {
      small.decide("fingerprint-" + i);
    }

    assertEquals(10, small.size());
  }
}
