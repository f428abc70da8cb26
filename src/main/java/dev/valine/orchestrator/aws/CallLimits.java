package dev.valine.orchestrator.aws;

import java.time.Duration;

/**
 * How long one AWS call may take in all, each attempt at most, and how many attempts it makes. The
 * SDK enforces the first two as its {@code apiCallTimeout} and {@code apiCallAttemptTimeout}; the
 * attempts bound its standard retry strategy.
 *
 * @param call the whole call, retries and their back-off included
 */
public record CallLimits(Duration call, Duration attempt, int attempts) {
  public CallLimits {
    if (attempts < 1 || attempt.isNegative() || attempt.isZero() || call.compareTo(attempt) < 0) {
      throw new IllegalArgumentException("need at least one attempt that fits the call: " + call + ", " + attempt + ", "
          + attempts + " attempts");
    }
  }
}
