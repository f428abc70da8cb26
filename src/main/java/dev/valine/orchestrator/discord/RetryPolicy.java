package dev.valine.orchestrator.discord;

import java.time.Duration;

/**
 * How hard the Discord client tries: attempts per call (the first included), the backoff between
 * attempts (doubling from {@code baseBackoff} up to {@code maxBackoff}, plus jitter), and the timeout of a
 * single attempt, so that one hanging attempt cannot use up the whole budget.
 */
public record RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff, Duration attemptTimeout) {
  /** Three attempts, 250 ms doubling to 2 s, 4 s per attempt. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(4));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }
}
