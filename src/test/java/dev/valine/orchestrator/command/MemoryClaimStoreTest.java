package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemoryClaimStoreTest extends ClaimStoreContract {
  private final MemoryClaimStore shared = new MemoryClaimStore(10, time);

  /** One memory: "two containers" here are two threads of one process. */
  @Override
  protected ClaimStore container() {
    return shared;
  }

  /** Forgetting a live claim could let its interaction run twice; refusing lets read-only commands go on unclaimed. */
  @Test
  void refusesANewClaimWhenEveryPlaceHoldsALiveOneRatherThanForgetOne() {
    MemoryClaimStore store = new MemoryClaimStore(2, time);
    Instant expiry = time.instant().plus(Duration.ofMinutes(25));
    store.claim("claim#1", "a", expiry);
    store.claim("claim#2", "b", expiry);

    IllegalStateException full = assertThrows(IllegalStateException.class, () -> store.claim("claim#3", "c", expiry));

    assertEquals("this container's claim memory is full: 2 live claims", full.getMessage());
    assertFalse(store.claim("claim#1", "d", expiry), "the oldest claim is still held");
  }

  @Test
  void makesRoomByDroppingExpiredClaims() {
    MemoryClaimStore store = new MemoryClaimStore(2, time);
    store.claim("claim#1", "a", time.instant().plus(Duration.ofMinutes(25)));
    store.claim("claim#2", "b", time.instant().plus(Duration.ofMinutes(5)));
    time.advance(Duration.ofMinutes(5));

    assertTrue(store.claim("claim#3", "c", time.instant().plus(Duration.ofMinutes(25))));
    assertEquals(2, store.size());
  }
}
