package dev.valine.orchestrator.command;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Claims in this container's memory: the store when no table is configured, and what read-only commands
 * fall back to when the table fails. Same rules as the table, but seen by this container only. Bounded:
 * when every place holds a live claim, a new claim is refused (thrown) rather than an old one forgotten,
 * since forgetting one could let its interaction run twice. Claims are dropped once they expire.
 * Thread-safe.
 */
public final class MemoryClaimStore implements ClaimStore {
  private final int capacity;
  private final Clock clock;
  // In arrival order, so expiries are (almost) in order too: the sweep stops at the first live claim.
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** One claim, or one job with its lease and progress. */
  private static final class Entry {
    private final Instant expiresAt;
    private final String startedBy;
    // Jobs only; a plain claim has none.
    private Map<String, String> progress = Map.of();
    private String owner;
    private Instant leaseUntil;
    private boolean done;

    Entry(String token, Instant expiresAt, Instant leaseUntil) {
      this.owner = token;
      this.startedBy = token;
      this.expiresAt = expiresAt;
      this.leaseUntil = leaseUntil;
    }
  }

  public MemoryClaimStore(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  @Override
  public synchronized boolean claim(String key, String token, Instant expiresAt) {
    Entry entry = live(key);
    if (entry != null) {
      return entry.owner.equals(token);
    }
    add(key, new Entry(token, expiresAt, expiresAt));
    return true;
  }

  @Override
  public synchronized JobState begin(String key, String token, Instant leaseUntil, Instant expiresAt) {
    Entry entry = live(key);
    if (entry == null) {
      add(key, new Entry(token, expiresAt, leaseUntil));
      return new JobState(JobState.Status.STARTED, Map.of(), Optional.empty());
    }
    if (entry.owner.equals(token)) {
      // This same begin, asked again.
      entry.leaseUntil = leaseUntil;
      return new JobState(entry.startedBy.equals(token) ? JobState.Status.STARTED : JobState.Status.TAKEN_OVER, entry.progress,
          Optional.empty());
    }
    if (entry.done) {
      return new JobState(JobState.Status.DONE, Map.of(), Optional.empty());
    }
    if (entry.leaseUntil.isAfter(clock.instant())) {
      return new JobState(JobState.Status.RUNNING_ELSEWHERE, Map.of(), Optional.of(entry.leaseUntil));
    }
    entry.owner = token;
    entry.leaseUntil = leaseUntil;
    return new JobState(JobState.Status.TAKEN_OVER, entry.progress, Optional.empty());
  }

  @Override
  public synchronized boolean renew(String key, String token, Instant leaseUntil) {
    Entry entry = owned(key, token);
    if (entry == null) {
      return false;
    }
    entry.leaseUntil = leaseUntil;
    return true;
  }

  @Override
  public synchronized boolean record(String key, String token, String name, String value, Instant leaseUntil) {
    Entry entry = owned(key, token);
    if (entry == null) {
      return false;
    }
    if (entry.progress.isEmpty()) {
      entry.progress = new LinkedHashMap<>();
    }
    entry.progress.put(name, value);
    entry.leaseUntil = leaseUntil;
    return true;
  }

  @Override
  public synchronized boolean finish(String key, String token) {
    Entry entry = live(key);
    if (entry == null || !entry.owner.equals(token)) {
      return false;
    }
    entry.done = true;
    return true;
  }

  /** How many claims it holds, expired ones not yet dropped included. */
  public synchronized int size() {
    return entries.size();
  }

  private Entry owned(String key, String token) {
    Entry entry = live(key);
    return entry != null && !entry.done && entry.owner.equals(token) ? entry : null;
  }

  private Entry live(String key) {
    Entry entry = entries.get(key);
    if (entry != null && !entry.expiresAt.isAfter(clock.instant())) {
      entries.remove(key);
      return null;
    }
    return entry;
  }

  private void add(String key, Entry entry) {
    dropExpired(true);
    if (entries.size() >= capacity) {
      dropExpired(false);
    }
    if (entries.size() >= capacity) {
      throw new IllegalStateException("this container's claim memory is full: " + capacity + " live claims");
    }
    entries.put(key, entry);
  }

  /** @param fromTheOldest stop at the first live claim (cheap); otherwise look at every one */
  private void dropExpired(boolean fromTheOldest) {
    Instant now = clock.instant();
    Iterator<Entry> claims = entries.values().iterator();
    while (claims.hasNext()) {
      if (!claims.next().expiresAt.isAfter(now)) {
        claims.remove();
      } else if (fromTheOldest) {
        return;
      }
    }
  }
}
