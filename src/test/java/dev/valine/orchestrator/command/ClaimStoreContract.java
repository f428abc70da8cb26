package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.command.ClaimStore.JobState;
import dev.valine.orchestrator.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ClaimStore} promises, run against each of them: this container's memory and the
 * shared table (on dynalite). Each test uses keys of its own.
 */
public abstract class ClaimStoreContract {
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));
  private final String id = Long.toString(System.nanoTime());

  /** A store as one container sees it; two calls are two containers sharing whatever the store shares. */
  protected abstract ClaimStore container();

  private Instant expiry() {
    return time.instant().plus(Duration.ofMinutes(25));
  }

  private Instant lease() {
    return time.instant().plus(LEASE);
  }

  private static String token() {
    return UUID.randomUUID().toString();
  }

  @Test
  public void claimsAnInteractionOnce() {
    ClaimStore store = container();

    assertTrue(store.claim("claim#" + id, token(), expiry()));
    assertFalse(store.claim("claim#" + id, token(), expiry()), "a second delivery finds it claimed");
    assertTrue(store.claim("claim#other-" + id, token(), expiry()), "another interaction");
  }

  /** The SDK repeats a write whose answer was lost: the repeat must find the claim its own. */
  @Test
  public void aClaimAskedAgainWithItsOwnTokenStillHoldsIt() {
    ClaimStore store = container();
    String token = token();
    store.claim("claim#" + id, token, expiry());

    assertTrue(store.claim("claim#" + id, token, expiry()));
  }

  @Test
  public void anExpiredClaimCountsAsAbsentThoughNotYetDeleted() {
    ClaimStore store = container();
    store.claim("claim#" + id, token(), expiry());

    time.advance(Duration.ofMinutes(25));

    assertTrue(store.claim("claim#" + id, token(), expiry()));
  }

  @Test
  public void startsAJobOnceAndTellsADuplicateWhileItRuns() {
    ClaimStore store = container();

    JobState first = store.begin("job#" + id, token(), lease(), expiry());
    JobState second = store.begin("job#" + id, token(), lease(), expiry());

    assertEquals(new JobState(JobState.Status.STARTED, Map.of(), Optional.empty()), first);
    assertEquals(JobState.Status.RUNNING_ELSEWHERE, second.status());
    assertEquals(Optional.of(time.instant().plus(LEASE)), second.leaseUntil());
  }

  @Test
  public void aJobDoneIsNotRunAgain() {
    ClaimStore store = container();
    String token = token();
    store.begin("job#" + id, token, lease(), expiry());

    assertTrue(store.finish("job#" + id, token));
    time.advance(Duration.ofMinutes(5));

    assertEquals(JobState.Status.DONE, store.begin("job#" + id, token(), lease(), expiry()).status(), "even once its lease has lapsed");
  }

  @Test
  public void takesOverAJobWhoseLeaseLapsedWithWhatItRecorded() {
    ClaimStore crashed = container();
    String token = token();
    crashed.begin("job#" + id, token, lease(), expiry());
    assertTrue(crashed.record("job#" + id, token, "dispatched_run_id", "9000000042", lease()));

    time.advance(LEASE);
    JobState retry = container().begin("job#" + id, token(), lease(), expiry());

    assertEquals(JobState.Status.TAKEN_OVER, retry.status());
    assertEquals(Map.of("dispatched_run_id", "9000000042"), retry.progress());
  }

  @Test
  public void aRenewedLeaseKeepsTheJob() {
    ClaimStore store = container();
    String token = token();
    store.begin("job#" + id, token, lease(), expiry());
    time.advance(LEASE.minusSeconds(1));

    assertTrue(store.renew("job#" + id, token, lease()));
    time.advance(Duration.ofSeconds(2));

    assertEquals(JobState.Status.RUNNING_ELSEWHERE, container().begin("job#" + id, token(), lease(), expiry()).status());
  }

  @Test
  public void anAttemptThatLostItsJobCanNeitherRecordRenewNorFinishIt() {
    ClaimStore store = container();
    String stalled = token();
    store.begin("job#" + id, stalled, lease(), expiry());
    time.advance(LEASE);
    String retry = token();
    container().begin("job#" + id, retry, lease(), expiry());

    assertFalse(store.record("job#" + id, stalled, "dispatched_run_id", "1", lease()));
    assertFalse(store.renew("job#" + id, stalled, lease()));
    assertFalse(store.finish("job#" + id, stalled));
    assertTrue(store.record("job#" + id, retry, "dispatched_run_id", "2", lease()), "the job is the retry's");
    assertEquals(Map.of("dispatched_run_id", "2"), takeOverAfterLapse().progress());
  }

  private JobState takeOverAfterLapse() {
    time.advance(LEASE);
    return container().begin("job#" + id, token(), lease(), expiry());
  }

  @Test
  public void nothingIsRecordedOnAJobNeverBegun() {
    ClaimStore store = container();

    assertFalse(store.record("job#" + id, token(), "dispatched_run_id", "1", lease()));
    assertFalse(store.renew("job#" + id, token(), lease()));
  }

  /** A begin whose answer was lost, asked again: still this attempt's, fresh or taken over. */
  @Test
  public void aBeginAskedAgainWithItsOwnTokenStillRunsTheJob() {
    ClaimStore store = container();
    String first = token();
    store.begin("job#" + id, first, lease(), expiry());

    assertEquals(JobState.Status.STARTED, store.begin("job#" + id, first, lease(), expiry()).status());

    store.record("job#" + id, first, "dispatch", "requested", lease());
    time.advance(LEASE);
    String second = token();
    store.begin("job#" + id, second, lease(), expiry());
    JobState again = store.begin("job#" + id, second, lease(), expiry());
    assertEquals(JobState.Status.TAKEN_OVER, again.status());
    assertEquals(Map.of("dispatch", "requested"), again.progress());
  }
}
