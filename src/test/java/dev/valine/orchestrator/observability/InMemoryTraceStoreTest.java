package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTraceStoreTest {

  static TraceRecord trace(String traceId, String userId) {
    return new TraceRecord(traceId, "corr-" + traceId, "status", userId, Optional.empty(), Optional.empty(),
        Instant.parse("2026-11-28T06:00:00Z"), Optional.empty(), TraceStatus.OK, List.of(), Optional.empty(), Map.of());
  }

  @Test
  void findsTheNewestTraceOfEachUser() {
    InMemoryTraceStore store = new InMemoryTraceStore(10);
    store.record(trace("a1", "alice"));
    store.record(trace("b1", "bob"));
    store.record(trace("a2", "alice"));

    assertEquals("a2", store.newestFor("alice").orElseThrow().traceId());
    assertEquals("b1", store.newestFor("bob").orElseThrow().traceId());
    assertEquals(Optional.empty(), store.newestFor("carol"));
  }

  @Test
  void evictsOldestFirstAtCapacity() {
    InMemoryTraceStore store = new InMemoryTraceStore(3);
    store.record(trace("t1", "alice"));
    store.record(trace("t2", "bob"));
    store.record(trace("t3", "carol"));
    store.find("t1"); // reading must not keep an old trace alive

    store.record(trace("t4", "dave"));

    assertEquals(3, store.size());
    assertEquals(Optional.empty(), store.find("t1"));
    assertEquals(Optional.empty(), store.newestFor("alice"), "a user whose newest trace was evicted has none");
    assertTrue(store.find("t2").isPresent());
    assertEquals("t4", store.newestFor("dave").orElseThrow().traceId());
  }

  @Test
  void keepsOlderTraceOfUserWhenOnlyAnotherUsersTraceIsEvicted() {
    InMemoryTraceStore store = new InMemoryTraceStore(2);
    store.record(trace("b1", "bob"));
    store.record(trace("a1", "alice"));

    store.record(trace("c1", "carol"));

    assertEquals("a1", store.newestFor("alice").orElseThrow().traceId());
    assertEquals(Optional.empty(), store.newestFor("bob"));
  }

  @Test
  void updatingATraceKeepsItsPlaceAndTheUsersNewest() {
    InMemoryTraceStore store = new InMemoryTraceStore(10);
    store.record(trace("a1", "alice"));
    store.record(trace("a2", "alice"));

    store.record(new TraceRecord("a1", "corr-a1", "status", "alice", Optional.empty(), Optional.empty(),
        Instant.parse("2026-11-28T06:00:00Z"), Optional.empty(), TraceStatus.ERROR, List.of(), Optional.of("late"), Map.of()));

    assertEquals("a2", store.newestFor("alice").orElseThrow().traceId());
    assertEquals(TraceStatus.ERROR, store.find("a1").orElseThrow().status());
  }

  @Test
  void aBusyUsersEleventhTraceEvictsOnlyTheirOwnOldest() {
    InMemoryTraceStore store = new InMemoryTraceStore(100);
    store.record(trace("b1", "bob"));
    for (int i = 1; i <= 10; i++) {
      store.record(trace("a" + i, "alice"));
    }

    store.record(trace("a11", "alice"));

    assertEquals(Optional.empty(), store.find("a1"));
    for (int i = 2; i <= 11; i++) {
      assertTrue(store.find("a" + i).isPresent(), "a" + i);
    }
    assertEquals("a11", store.newestFor("alice").orElseThrow().traceId());
    assertEquals("b1", store.newestFor("bob").orElseThrow().traceId(), "an older trace of another user survives");
    assertEquals(11, store.size());
  }

  @Test
  void aBusyUserCannotPushEveryoneElsesLastTraceOut() {
    InMemoryTraceStore store = new InMemoryTraceStore(12);
    store.record(trace("b1", "bob"));
    store.record(trace("c1", "carol"));

    for (int i = 1; i <= 50; i++) {
      store.record(trace("a" + i, "alice"));
    }

    assertEquals("b1", store.newestFor("bob").orElseThrow().traceId());
    assertEquals("c1", store.newestFor("carol").orElseThrow().traceId());
    assertEquals("a50", store.newestFor("alice").orElseThrow().traceId());
    assertTrue(store.find("a41").isPresent());
    assertEquals(Optional.empty(), store.find("a40"));
    assertEquals(12, store.size());
  }

  @Test
  void theGlobalCapacityStillHoldsWhenNoUserIsAtTheirCap() {
    InMemoryTraceStore store = new InMemoryTraceStore(15);
    for (int i = 1; i <= 8; i++) {
      for (String user : List.of("alice", "bob")) {
        store.record(trace(user + i, user));
      }
    }

    assertEquals(15, store.size());
    assertEquals(Optional.empty(), store.find("alice1"), "the oldest of all goes first");
    assertTrue(store.find("bob1").isPresent());
    assertEquals("alice8", store.newestFor("alice").orElseThrow().traceId());
    assertEquals("bob8", store.newestFor("bob").orElseThrow().traceId());
  }

  @Test
  void updatesOfARunningTraceCountOnce() {
    InMemoryTraceStore store = new InMemoryTraceStore(100);
    store.record(trace("a1", "alice"));
    for (int update = 0; update < 20; update++) {
      store.record(trace("a1", "alice"));
    }
    for (int i = 2; i <= 10; i++) {
      store.record(trace("a" + i, "alice"));
    }

    assertTrue(store.find("a1").isPresent(), "ten traces, however often the first was updated");
    assertEquals(10, store.size());

    store.record(trace("a11", "alice"));

    assertEquals(Optional.empty(), store.find("a1"), "the eleventh evicts the oldest, the one updated most");
    assertEquals(10, store.size());
  }

  @Test
  void anUpdateThatNamesAnotherUserStaysFiledUnderTheFirst() {
    InMemoryTraceStore store = new InMemoryTraceStore(2);
    store.record(trace("a1", "alice"));
    store.record(trace("a1", "mallory"));

    store.record(trace("b1", "bob"));
    store.record(trace("c1", "carol"));

    assertEquals(Optional.empty(), store.find("a1"));
    assertEquals(Optional.empty(), store.newestFor("alice"));
    assertEquals(Optional.empty(), store.newestFor("mallory"));
    assertEquals("c1", store.newestFor("carol").orElseThrow().traceId());
    assertEquals(2, store.size());
  }

  @Test
  void rejectsCapacityBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new InMemoryTraceStore(0));
  }

  @Test
  void neverLosesOrMixesUpTracesUnderConcurrency() throws Exception {
    int threads = 16;
    int perThread = 500;
    InMemoryTraceStore store = new InMemoryTraceStore(threads * perThread);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Map<String, String> foreign = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            // Ten traces per user: every user at the per-user cap, none over it, so none evicted.
            String user = "user-" + thread + "-" + (i / InMemoryTraceStore.PER_USER);
            store.record(trace(user + "-" + i, user));
            // Each user only ever sees their own traces, and the newest is never older than what they just wrote.
            TraceRecord newest = store.newestFor(user).orElseThrow();
            if (!newest.userId().equals(user) || !newest.traceId().equals(user + "-" + i)) {
              foreign.put(user + "-" + i, newest.traceId());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(Map.of(), foreign);
    assertEquals(threads * perThread, store.size(), "no trace lost");
  }

  @Test
  void keepsTheCapacityUnderConcurrentWriters() throws Exception {
    InMemoryTraceStore store = new InMemoryTraceStore(100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 1_000; i++) {
            // 50 users: their caps together (500) are above the global one, which is what this test is about.
            String user = "user-" + (i % 50);
            store.record(trace(thread + "-" + i, user));
            store.newestFor(user).ifPresent(found -> {
              if (!found.userId().equals(user)) {
                throw new AssertionError("asked for " + user + ", got a trace of " + found.userId());
              }
            });
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(100, store.size());
  }
}
