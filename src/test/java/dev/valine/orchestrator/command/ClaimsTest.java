package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.observability.EmfMetrics;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Which store a claim goes to, and what happens when the shared one fails: refused if it changes something, memory if not. */
class ClaimsTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));
  private final Instant signedAt = time.instant();
  private final ByteArrayOutputStream metricLines = new ByteArrayOutputStream();
  private final MemoryClaimStore memory = new MemoryClaimStore(10, time);
  private final SharedTable table = new SharedTable(time);
  private boolean clientBuilt = true;

  /** The table as the claims see it: a memory store that can be made to fail, and that says what it was asked. */
  private static final class SharedTable implements ClaimStore {
    final MemoryClaimStore rows;
    final List<String> asked = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    SharedTable(FakeTime time) {
      rows = new MemoryClaimStore(10, time);
    }

    private void call(String what) {
      asked.add(what);
      if (failing) {
        throw new IllegalStateException("ApiCallTimeoutException: Client execution did not complete before 500 millis");
      }
    }

    @Override
    public boolean claim(String key, String token, Instant expiresAt) {
      call("claim " + key);
      return rows.claim(key, token, expiresAt);
    }

    @Override
    public JobState begin(String key, String token, Instant leaseUntil, Instant expiresAt) {
      call("begin " + key);
      return rows.begin(key, token, leaseUntil, expiresAt);
    }

    @Override
    public boolean renew(String key, String token, Instant leaseUntil) {
      call("renew " + key);
      return rows.renew(key, token, leaseUntil);
    }

    @Override
    public boolean record(String key, String token, String name, String value, Instant leaseUntil) {
      call("record " + key);
      return rows.record(key, token, name, value, leaseUntil);
    }

    @Override
    public boolean finish(String key, String token) {
      call("finish " + key);
      return rows.finish(key, token);
    }
  }

  private Claims claims() {
    return new Claims(Optional.of(() -> table), () -> clientBuilt, memory, Claims.retention(Duration.ofMinutes(5)), time,
        new EmfMetrics(new PrintStream(metricLines, true, StandardCharsets.UTF_8), time, "dev"));
  }

  private String metrics() {
    return metricLines.toString(StandardCharsets.UTF_8);
  }

  @Test
  void claimsEachInteractionOnceInTheSharedTable() {
    Claims claims = claims();

    assertEquals(Claims.Verdict.FIRST, claims.claimInteraction("1", signedAt, false));
    assertEquals(Claims.Verdict.REPEAT, claims().claimInteraction("1", signedAt, false), "another container, the same table");
    assertEquals(List.of("claim claim#1", "claim claim#1"), table.asked);
  }

  @Test
  void refusesACommandThatChangesSomethingWhenTheTableFails() {
    table.failing = true;

    try (LogCapture logs = new LogCapture()) {
      assertEquals(Claims.Verdict.UNRECORDED, claims().claimInteraction("1", signedAt, true));
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("level").asText().equals("ERROR")
          && l.path("message").asText().startsWith("claim store unavailable: a command that changes something is refused")), logs.text());
    }
    assertEquals(0, memory.size(), "not claimed in memory either: it was not run");
  }

  @Test
  void letsAReadOnlyCommandGoOnWithAClaimInMemoryWhenTheTableFails() {
    table.failing = true;
    Claims claims = claims();

    try (LogCapture logs = new LogCapture()) {
      assertEquals(Claims.Verdict.FIRST, claims.claimInteraction("1", signedAt, false));
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText()
          .startsWith("claim store unavailable, claimed the interaction in this container's memory")), logs.text());
    }
    assertEquals(Claims.Verdict.REPEAT, claims.claimInteraction("1", signedAt, false), "a replay to this container");
    assertTrue(metrics().contains("\"StateStoreFallbacks\":1") && metrics().contains("\"Store\":\"claims\""), metrics());
  }

  /**
   * Without SnapStart, building the client is the slowest part of a cold first command: no reply waits for it. A
   * command that changes something acts only in its job, whose claim is taken in the table.
   */
  @Test
  void noReplyWaitsForTheTablesClientToBeBuiltAndTheJobClaimsInTheTable() {
    clientBuilt = false;

    assertEquals(Claims.Verdict.FIRST, claims().claimInteraction("1", signedAt, false));
    assertEquals(Claims.Verdict.FIRST, claims().claimInteraction("2", signedAt, true));
    assertEquals(List.of(), table.asked, "neither reply waited for the table");

    Claims.JobStart first = claims().beginJob("2", signedAt, true);
    Claims.JobStart replayed = claims().beginJob("2", signedAt, true);
    assertTrue(first.claim().isPresent());
    assertTrue(replayed.claim().isEmpty(), "a second job for the same interaction, launched by a replay elsewhere, does not run");
    assertEquals(List.of("begin job#2", "begin job#2"), table.asked);
  }

  @Test
  void withoutATableClaimsInThisContainersMemory() {
    Claims claims = Claims.inMemory(time);

    assertEquals(Claims.Verdict.FIRST, claims.claimInteraction("1", signedAt, true));
    assertEquals(Claims.Verdict.REPEAT, claims.claimInteraction("1", signedAt, true));
  }

  @Test
  void refusesAJobThatChangesSomethingWhenTheTableFailsAndRunsAReadOnlyOneFromMemory() {
    table.failing = true;
    Claims claims = claims();

    Claims.JobStart acting = claims.beginJob("1", signedAt, true);
    Claims.JobStart readOnly = claims.beginJob("2", signedAt, false);

    assertEquals(Optional.empty(), acting.status());
    assertEquals(Optional.empty(), acting.claim());
    assertEquals(ClaimStore.JobState.Status.STARTED, readOnly.status().orElseThrow().status());
    assertTrue(readOnly.claim().isPresent());
    assertEquals(ClaimStore.JobState.Status.RUNNING_ELSEWHERE, memory.begin("job#2", "another", time.instant(), time.instant()).status(),
        "claimed in this container's memory");
  }

  @Test
  void aJobsProgressIsWrittenThroughToItsClaim() throws Exception {
    Claims claims = claims();
    JobClaim first = claims.beginJob("1", signedAt, true).claim().orElseThrow();

    first.progress().record("dispatched_run_id", "9000000042");
    time.advance(Claims.LEASE);
    Claims.JobStart retry = claims().beginJob("1", signedAt, true);

    Progress resumed = retry.claim().orElseThrow().progress();
    assertTrue(resumed.resumed());
    assertEquals(Optional.of("9000000042"), resumed.get("dispatched_run_id"));
    assertFalse(first.renew(), "the first attempt has lost the job");
  }

  @Test
  void progressThatCannotBeRecordedStopsTheCommand() {
    Claims claims = claims();
    JobClaim claim = claims.beginJob("1", signedAt, true).claim().orElseThrow();
    table.failing = true;

    ProgressNotRecordedException e = org.junit.jupiter.api.Assertions.assertThrows(ProgressNotRecordedException.class,
        () -> claim.progress().record("dispatch", "requested"));

    assertFalse(e.takenOver());
    assertEquals(Optional.empty(), claim.progress().get("dispatch"));
  }

  @Test
  void keepsClaimsLongerThanAReplayOrAJobCanArrive() {
    assertEquals(Duration.ofMinutes(25), Claims.retention(Duration.ofSeconds(300)), "the token's 15 minutes, and 10 more");
    assertEquals(Duration.ofMinutes(70), Claims.retention(Duration.ofHours(1)), "a signature window longer than the token");
  }

  @Test
  void aHandOffIsTakenOnceAcrossContainersAndFromMemoryWhenTheTableFails() {
    assertTrue(claims().claimHandOff("1", signedAt));
    assertFalse(claims().claimHandOff("1", signedAt));

    table.failing = true;
    assertTrue(claims().claimHandOff("2", signedAt));
    assertFalse(claims().claimHandOff("2", signedAt), "this container's memory");
  }
}
