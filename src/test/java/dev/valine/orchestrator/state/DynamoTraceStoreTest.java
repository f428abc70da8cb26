package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import dev.valine.orchestrator.testing.FakeTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Against dynalite, a real DynamoDB-compatible server on loopback. */
class DynamoTraceStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private final FakeTime time = new FakeTime(T0);
  private String table;

  @BeforeEach
  void createTable() throws Exception {
    table = Dynalite.uniqueTable("traces");
    StateTable.ensureExists(dynalite.client(), table, Duration.ofSeconds(30));
  }

  /** A store with its own client: one per "container". */
  private DynamoTraceStore container() {
    DynamoDbClient client = dynalite.client();
    return new DynamoTraceStore(() -> client, table, Duration.ofDays(7), time);
  }

  private static TraceRecord trace(String traceId, String userId, Instant started, TraceStatus status, List<TraceStep> steps) {
    return new TraceRecord(traceId, "13000000000000" + Math.abs(traceId.hashCode() % 10000), "status", userId,
        Optional.of("290926798626357999"), Optional.empty(), started,
        status == TraceStatus.RUNNING ? Optional.empty() : Optional.of(started.plusMillis(240)), status, steps,
        Optional.empty(), Map.of("deploy.yml", "https://github.com/o/r/actions/runs/1"));
  }

  private static TraceRecord trace(String traceId, String userId, Instant started) {
    return trace(traceId, userId, started, TraceStatus.OK,
        List.of(new TraceStep("github.runs deploy.yml", TraceStatus.OK, started, 240, Optional.of("3 runs"))));
  }

  @Test
  void returnsTheNewestTraceOfAUserWithEverythingInIt() {
    DynamoTraceStore store = container();
    TraceRecord older = trace("t-1", "111", T0);
    TraceRecord newer = trace("t-2", "111", T0.plusSeconds(60));

    store.record(newer);
    store.record(older);

    assertEquals(Optional.of(newer), store.newestFor("111"), "by start time, not by order of writing");
  }

  @Test
  void neverReturnsAnotherUsersTrace() {
    DynamoTraceStore store = container();
    store.record(trace("t-1", "111", T0));

    assertEquals(Optional.empty(), store.newestFor("222"));
    assertEquals(Optional.empty(), store.newestFor("11"), "a prefix of a user id is another user");
  }

  @Test
  void theDeferredHalfReplacesTheRunningSnapshot() {
    DynamoTraceStore store = container();
    TraceRecord running = trace("t-1", "111", T0, TraceStatus.RUNNING, List.of());
    TraceRecord finished = trace("t-1", "111", T0);

    store.record(running);
    store.record(finished);

    assertEquals(Optional.of(finished), store.newestFor("111"));
    assertEquals(Optional.of(finished), store.find("t-1"));
  }

  @Test
  void findsATraceByItsId() {
    DynamoTraceStore store = container();
    store.record(trace("t-1", "111", T0));
    store.record(trace("t-2", "222", T0));

    assertEquals("222", store.find("t-2").orElseThrow().userId());
    assertEquals(Optional.empty(), store.find("t-3"));
  }

  @Test
  void writesAnExpiryForDynamoDbsTtlAfterTheRetentionPeriod() {
    DynamoTraceStore store = container();
    TraceRecord trace = trace("t-1", "111", T0);

    store.record(trace);

    Map<String, AttributeValue> item = dynalite.client().getItem(get -> get.tableName(table)
        .key(Map.of("pk", StateTable.s("user#111"), "sk", StateTable.s(DynamoTraceStore.traceKey(trace))))).item();
    assertEquals(Long.toString(T0.plus(Duration.ofDays(7)).getEpochSecond()), item.get("expires_at").n());
  }

  @Test
  void ignoresAnExpiredTraceThatDynamoDbHasNotDeletedYet() {
    DynamoTraceStore store = container();
    store.record(trace("t-1", "111", T0));

    time.advance(Duration.ofDays(7));

    assertEquals(Optional.empty(), store.newestFor("111"));
    assertEquals(Optional.empty(), store.find("t-1"));
  }

  @Test
  void trimsATraceTooBigForOneItemInsteadOfFailingTheWrite() {
    DynamoTraceStore store = container();
    List<TraceStep> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      steps.add(new TraceStep("step " + i + " " + "x".repeat(3_000), TraceStatus.OK, T0, 1, Optional.of("d".repeat(5_000))));
    }
    TraceRecord huge = new TraceRecord("t-big", "c", "status", "111", Optional.empty(), Optional.empty(), T0,
        Optional.of(T0.plusSeconds(1)), TraceStatus.ERROR, steps, Optional.of("e".repeat(100_000)), Map.of());

    store.record(huge);

    TraceRecord stored = store.newestFor("111").orElseThrow();
    assertTrue(stored.steps().size() < 200, "steps were dropped");
    String marker = stored.steps().get(stored.steps().size() - 1).name();
    assertTrue(marker.matches("… \\d+ more steps trimmed to fit the trace store"), marker);
    assertTrue(stored.error().orElseThrow().length() < 5_000);
    assertTrue(stored.toJson().toString().getBytes(StandardCharsets.UTF_8).length <= DynamoTraceStore.MAX_RECORD_BYTES);
  }

  @Test
  void twoContainersSeeEachOthersTraces() {
    DynamoTraceStore ran = container();
    DynamoTraceStore asked = container();

    ran.record(trace("t-1", "111", T0));

    assertEquals("t-1", asked.newestFor("111").orElseThrow().traceId());
  }

  @Test
  void twoContainersWritingAtOnceLoseNothing() throws Exception {
    DynamoTraceStore first = container();
    DynamoTraceStore second = container();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<?>> writes = new ArrayList<>();
    try {
      for (int user = 0; user < 8; user++) {
        for (int n = 0; n < 10; n++) {
          DynamoTraceStore store = n % 2 == 0 ? first : second;
          TraceRecord trace = trace("u" + user + "-t" + n, "user-" + user, T0.plusSeconds(n));
          writes.add(threads.submit(() -> store.record(trace)));
        }
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } finally {
      threads.shutdown();
    }

    for (int user = 0; user < 8; user++) {
      assertEquals("u" + user + "-t9", first.newestFor("user-" + user).orElseThrow().traceId());
      for (int n = 0; n < 10; n++) {
        assertTrue(second.find("u" + user + "-t" + n).isPresent(), "trace u" + user + "-t" + n + " was kept");
      }
    }
  }
}
