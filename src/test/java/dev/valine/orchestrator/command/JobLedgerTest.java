package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobLedgerTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));

  @Test
  void refusesASecondClaimOfTheSameInteraction() {
    JobLedger ledger = new JobLedger(10, time);

    assertTrue(ledger.claim("1", time.instant().plus(Duration.ofMinutes(15))));
    assertFalse(ledger.claim("1", time.instant().plus(Duration.ofMinutes(15))));
  }

  @Test
  void forgetsAClaimOnceItsTokenHasExpired() {
    JobLedger ledger = new JobLedger(10, time);
    ledger.claim("1", time.instant().plus(Duration.ofMinutes(15)));

    time.advance(Duration.ofMinutes(15));

    assertTrue(ledger.claim("1", time.instant().plus(Duration.ofMinutes(15))));
  }

  @Test
  void dropsTheOldestClaimWhenFull() {
    JobLedger ledger = new JobLedger(2, time);
    Instant expiry = time.instant().plus(Duration.ofMinutes(15));
    ledger.claim("1", expiry);
    ledger.claim("2", expiry);

    ledger.claim("3", expiry);

    assertTrue(ledger.claim("1", expiry), "evicted");
    assertFalse(ledger.claim("3", expiry));
  }
}
