package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.AlertDeduplicator.Decision;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import dev.valine.orchestrator.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Against dynalite: deduplication shared by containers through conditional writes. */
class DynamoAlertDeduplicatorTest {
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final String FINGERPRINT = "critical|Command /status failed|IllegalStateException|status";
  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private final FakeTime time = new FakeTime(Instant.parse("2026-11-28T06:00:00Z"));
  private String table;

  @BeforeEach
  void createTable() throws Exception {
    table = Dynalite.uniqueTable("dedup");
    StateTable.ensureExists(dynalite.client(), table, Duration.ofSeconds(30));
  }

  private DynamoAlertDeduplicator container() {
    DynamoDbClient client = dynalite.client();
    return new DynamoAlertDeduplicator(() -> client, table, WINDOW, time);
  }

  @Test
  void sendsTheFirstAlertOfAWindowAndCountsTheRest() {
    DynamoAlertDeduplicator dedup = container();

    assertEquals(new Decision(true, 0), dedup.decide(FINGERPRINT));
    assertEquals(new Decision(false, 1), dedup.decide(FINGERPRINT));
    assertEquals(new Decision(false, 2), dedup.decide(FINGERPRINT));
    assertEquals(new Decision(true, 0), dedup.decide("error|GitHub call failed|GitHub UNAUTHORIZED|status"), "another fingerprint");
  }

  @Test
  void theFirstAlertOfTheNextWindowSaysHowManyWereHeldBack() {
    DynamoAlertDeduplicator dedup = container();
    dedup.decide(FINGERPRINT);
    dedup.decide(FINGERPRINT);
    dedup.decide(FINGERPRINT);

    time.advance(WINDOW);

    assertEquals(new Decision(true, 2), dedup.decide(FINGERPRINT));
    assertEquals(new Decision(false, 1), dedup.decide(FINGERPRINT), "a new window started");
  }

  @Test
  void containersRacingWithTheSameAlertPostItExactlyOnce() throws Exception {
    List<DynamoAlertDeduplicator> containers = List.of(container(), container());
    ExecutorService threads = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Decision>> decisions = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        DynamoAlertDeduplicator dedup = containers.get(i % 2);
        Callable<Decision> raise = () -> {
          start.await();
          return dedup.decide(FINGERPRINT);
        };
        decisions.add(threads.submit(raise));
      }
      start.countDown();
      List<Decision> results = new ArrayList<>();
      for (Future<Decision> decision : decisions) {
        results.add(decision.get());
      }

      assertEquals(1, results.stream().filter(Decision::send).count(), results.toString());
      assertEquals(19, results.stream().filter(d -> !d.send()).mapToInt(Decision::suppressedBefore).max().orElseThrow(),
          "the counter is atomic: 19 increments, 19 distinct values");
      assertEquals(19, results.stream().filter(d -> !d.send()).map(Decision::suppressedBefore).distinct().count());
    } finally {
      threads.shutdown();
    }
    time.advance(WINDOW);
    assertEquals(new Decision(true, 19), containers.get(1).decide(FINGERPRINT));
  }

  @Test
  void keysAFingerprintTooLongForDynamoDbByItsHash() {
    String longFingerprint = "critical|" + "very long title ".repeat(100);

    String key = DynamoAlertDeduplicator.fingerprintKey(longFingerprint);

    assertTrue(key.startsWith("alert#sha256:") && key.length() == "alert#sha256:".length() + 64, key);
    assertEquals(new Decision(true, 0), container().decide(longFingerprint));
    assertEquals(new Decision(false, 1), container().decide(longFingerprint), "another container, same window");
  }
}
