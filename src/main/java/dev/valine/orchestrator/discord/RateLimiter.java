package dev.valine.orchestrator.discord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Discord told us about its rate limits, so that we wait instead of collecting 429s (which count
 * toward the 10,000-invalid-requests-per-10-minutes Cloudflare ban). Tracks one state per bucket and
 * major parameter (channel, guild, webhook), learns which route uses which bucket from
 * {@code X-RateLimit-Bucket}, and holds a global pause after a global 429. Thread-safe; time from an
 * injected clock.
 *
 * <p>Bounded: interaction webhooks make every interaction token a major parameter of its own, so a state
 * is forgotten once its reset has passed (it says nothing any more), and past {@link #MAX_STATES} the
 * oldest goes first. Forgetting a live state costs at worst one 429, which is then obeyed.
 */
final class RateLimiter {
  static final int MAX_STATES = 1_024;
  // Expired states are swept when the map has grown past this, so the sweep is rare and amortised.
  private static final int SWEEP_ABOVE = 64;

  private final Clock clock;
  private final Map<String, String> bucketByRoute = new HashMap<>();
  private final Map<String, Instant> blockedUntil = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > MAX_STATES;
    }
  };
  private Instant globalBlockedUntil = Instant.MIN;

  RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** How long to wait before sending on this route; zero when it may go now. */
  synchronized Duration waitBefore(Route route) {
    Instant now = clock.instant();
    Instant until = globalBlockedUntil;
    Instant bucket = blockedUntil.get(stateKey(route));
    if (bucket != null && bucket.isAfter(until)) {
      until = bucket;
    }
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }

  /** Learns from a response's headers: the route's bucket, and whether that bucket is now empty. */
  synchronized void update(Route route, RateLimitHeaders headers) {
    headers.bucket().ifPresent(bucket -> bucketByRoute.put(route.key(), bucket));
    String key = stateKey(route);
    if (headers.remaining().orElse(1) == 0 && headers.resetAfter().isPresent()) {
      sweepExpired();
      blockedUntil.put(key, clock.instant().plus(headers.resetAfter().get()));
    } else if (headers.remaining().isPresent()) {
      blockedUntil.remove(key);
    }
  }

  /** After a 429: block the route's bucket, or everything when the limit was global. */
  synchronized void rateLimited(Route route, Duration retryAfter, boolean global) {
    Instant until = clock.instant().plus(retryAfter);
    if (global) {
      if (until.isAfter(globalBlockedUntil)) {
        globalBlockedUntil = until;
      }
    } else {
      sweepExpired();
      blockedUntil.merge(stateKey(route), until, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /** How many bucket states are remembered; for tests. */
  synchronized int trackedStates() {
    return blockedUntil.size();
  }

  private void sweepExpired() {
    if (blockedUntil.size() > SWEEP_ABOVE) {
      Instant now = clock.instant();
      blockedUntil.values().removeIf(until -> !until.isAfter(now));
    }
  }

  private String stateKey(Route route) {
    // Buckets are shared between routes but split per top-level resource (the major parameter).
    return bucketByRoute.getOrDefault(route.key(), route.key()) + "|" + route.majorParameter();
  }
}
