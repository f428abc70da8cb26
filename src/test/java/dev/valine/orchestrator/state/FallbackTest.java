package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB down or hanging, with the production client and timeouts: the in-memory store answers, and
 * the failure is logged and counted; a DynamoDB that never answers ends at the client's call timeout.
 */
@ExtendWith(WarmAwsSdk.class)
class FallbackTest {
  private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");

  private final MockWebServer dynamoApi = new MockWebServer();
  private final List<String> fallbacks = new CopyOnWriteArrayList<>();
  private final Metrics metrics = new Metrics() {
    @Override public void stateStoreFallback(String store) {
      fallbacks.add(store);
    }
  };
  private DynamoDbClient client;

  @BeforeEach
  void start() throws Exception {
    dynamoApi.start();
    client = new StateClients.Factory(new AwsEnvironment(FakeAws.environment("DYNAMODB", dynamoApi.url("/").toString())),
        StateClients.REPLY_PATH).get();
  }

  @AfterEach
  void stop() {
    client.close();
    dynamoApi.close();
  }

  private static TraceRecord trace(String id) {
    return new TraceRecord(id, "c", "status", "111", Optional.empty(), Optional.empty(), T0, Optional.of(T0.plusMillis(5)),
        TraceStatus.OK, List.of(), Optional.empty(), Map.of());
  }

  private FallbackTraceStore store(InMemoryTraceStore memory) {
    DynamoTraceStore shared = new DynamoTraceStore(() -> client, "state", Duration.ofDays(7), new FakeTime(T0));
    return new FallbackTraceStore(() -> shared, () -> true, memory, metrics);
  }

  /** A shared store that records on whichever thread calls it, and says so. */
  private static final class RecordingStore implements dev.valine.orchestrator.observability.TraceStore {
    final java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    volatile String writtenOn;

    @Override
    public void record(TraceRecord trace) {
      writtenOn = Thread.currentThread().getName();
      written.countDown();
    }

    @Override
    public Optional<TraceRecord> newestFor(String userId) {
      return Optional.empty();
    }

    @Override
    public Optional<TraceRecord> find(String traceId) {
      return Optional.empty();
    }
  }

  @Test
  void onTheReplyPathAnUnbuiltClientIsNotWaitedFor() throws Exception {
    InMemoryTraceStore memory = new InMemoryTraceStore(10);
    RecordingStore shared = new RecordingStore();
    java.util.concurrent.CountDownLatch clientBuilt = new java.util.concurrent.CountDownLatch(1);
    // Building the client blocks until the test lets it: the reply must not be the one waiting.
    FallbackTraceStore store = new FallbackTraceStore(() -> {
      try {
        clientBuilt.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return shared;
    }, () -> false, memory, metrics);

    store.recordWithoutWaiting(trace("t-cold"));

    assertEquals(Optional.of("t-cold"), memory.find("t-cold").map(TraceRecord::traceId), "kept in memory at once");
    clientBuilt.countDown();
    assertTrue(shared.written.await(10, java.util.concurrent.TimeUnit.SECONDS), "then written to the table");
    assertEquals("trace-store-writer", shared.writtenOn);
  }

  @Test
  void aLaterSnapshotStoredMeanwhileIsNotOverwrittenByTheWaitingOne() throws Exception {
    InMemoryTraceStore memory = new InMemoryTraceStore(10);
    List<String> written = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch clientBuilt = new java.util.concurrent.CountDownLatch(1);
    dev.valine.orchestrator.observability.TraceStore sharedStore = new dev.valine.orchestrator.observability.TraceStore() {
      @Override
      public void record(TraceRecord trace) {
        written.add(trace.status().id());
      }

      @Override
      public Optional<TraceRecord> newestFor(String userId) {
        return Optional.empty();
      }

      @Override
      public Optional<TraceRecord> find(String traceId) {
        return Optional.empty();
      }
    };
    FallbackTraceStore store = new FallbackTraceStore(() -> {
      try {
        clientBuilt.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return sharedStore;
    }, () -> false, memory, metrics);
    TraceRecord running = new TraceRecord("t-1", "c", "status", "111", Optional.empty(), Optional.empty(), T0, Optional.empty(),
        TraceStatus.RUNNING, List.of(), Optional.empty(), Map.of());

    store.recordWithoutWaiting(running);
    // The deferred half finishes in this process while the client is still being built.
    memory.record(trace("t-1"));
    clientBuilt.countDown();
    store.record(trace("t-2"));

    assertEquals(List.of("ok"), written, "only the finished trace t-2 reached the table; the stale running t-1 did not");
  }

  @Test
  void onTheReplyPathABuiltClientWritesBeforeTheReply() {
    RecordingStore shared = new RecordingStore();
    FallbackTraceStore store = new FallbackTraceStore(() -> shared, () -> true, new InMemoryTraceStore(10), metrics);

    store.recordWithoutWaiting(trace("t-warm"));

    assertEquals(Thread.currentThread().getName(), shared.writtenOn, "written on the caller's thread, within the call");
  }

  @Test
  void keepsTracesInMemoryWhenDynamoDbFails() {
    for (int i = 0; i < 10; i++) {
      dynamoApi.enqueue(new MockResponse.Builder().code(500).body("{\"__type\":\"InternalServerError\"}").build());
    }
    InMemoryTraceStore memory = new InMemoryTraceStore(10);
    FallbackTraceStore store = store(memory);

    try (LogCapture logs = new LogCapture()) {
      store.record(trace("t-1"));
      Optional<TraceRecord> newest = store.newestFor("111");

      assertEquals("t-1", newest.orElseThrow().traceId(), "the reply still finds the trace");
      assertEquals(List.of("traces", "traces"), fallbacks, "the write and the read each counted");
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText().startsWith("trace store unavailable")));
    }
  }

  /** A DynamoDB that never answers: only the client's call timeout can end the write, and the trace stays in memory. */
  @Test
  void aHangingDynamoDbEndsAtTheClientsCallTimeoutAndTheTraceStaysInMemory() {
    for (int i = 0; i < StateClients.REPLY_PATH.attempts(); i++) {
      dynamoApi.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    }
    InMemoryTraceStore memory = new InMemoryTraceStore(10);
    FallbackTraceStore store = store(memory);

    try (LogCapture logs = new LogCapture()) {
      store.record(trace("t-1"));

      assertEquals(List.of("traces"), fallbacks);
      assertEquals("t-1", memory.newestFor("111").orElseThrow().traceId());
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText().contains("ApiCallTimeoutException")), logs.text());
    }
  }

  @Test
  void decidesAlertsInThisContainerWhenDynamoDbFails() {
    for (int i = 0; i < 10; i++) {
      dynamoApi.enqueue(new MockResponse.Builder().code(500).body("{\"__type\":\"InternalServerError\"}").build());
    }
    DynamoAlertDeduplicator shared = new DynamoAlertDeduplicator(() -> client, "state", Duration.ofMinutes(5), new FakeTime(T0));
    FallbackDeduplicator dedup = new FallbackDeduplicator(() -> shared,
        new AlertDeduplicator(new FakeTime(T0), Duration.ofMinutes(5), 100), metrics);

    AlertDeduplicator.Decision first = dedup.decide("critical|x|y|z");
    AlertDeduplicator.Decision second = dedup.decide("critical|x|y|z");

    assertEquals(new AlertDeduplicator.Decision(true, 0), first, "the alert is not lost");
    assertEquals(new AlertDeduplicator.Decision(false, 1), second, "and still deduplicated, per container");
    assertEquals(List.of("alert_dedup", "alert_dedup"), fallbacks);
  }
}
