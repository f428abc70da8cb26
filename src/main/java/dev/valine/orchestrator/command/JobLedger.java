package dev.valine.orchestrator.command;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deferred jobs this container has started, by interaction id, until their token expires: Lambda may
 * deliver an asynchronous event twice, and the second delivery must not run the command again. Bounded;
 * when full, the oldest claim goes first (its token is the nearest to expiry). Thread-safe.
 */
public final class JobLedger {
  private final int capacity;
  private final Clock clock;
  private final Map<String, Instant> expiryByInteraction = new LinkedHashMap<>();

  public JobLedger(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Records that this container runs the job; false if it already did (a duplicate delivery). */
  public synchronized boolean claim(String interactionId, Instant tokenExpiry) {
    evictExpired();
    if (expiryByInteraction.containsKey(interactionId)) {
      return false;
    }
    if (expiryByInteraction.size() >= capacity) {
      Iterator<String> oldest = expiryByInteraction.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    expiryByInteraction.put(interactionId, tokenExpiry);
    return true;
  }

  private void evictExpired() {
    Instant now = clock.instant();
    // Claims are made in arrival order, so expiries are (almost) ordered: stop at the first live one.
    Iterator<Instant> expiries = expiryByInteraction.values().iterator();
    while (expiries.hasNext() && !expiries.next().isAfter(now)) {
      expiries.remove();
    }
  }
}
