package dev.valine.orchestrator.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The instant by which a command's reply must be ready. Outbound calls size their timeouts from what is
 * left, so a slow upstream costs the user a clear "too slow" message instead of Discord's
 * "The application did not respond".
 */
public record Deadline(Instant at, Clock clock) {

  /**
   * @param arrival when the request reached AWS (API Gateway's {@code timeEpoch}) or our server; using
   *     the gateway's clock charges the cold start to the budget, as Discord does
   */
  public static Deadline of(Instant arrival, Duration budget, Clock clock) {
    return new Deadline(arrival.plus(budget), clock);
  }

  /** What is left, never negative. */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  public boolean expired() {
    return !clock.instant().isBefore(at);
  }
}
