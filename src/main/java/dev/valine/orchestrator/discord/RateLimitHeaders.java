package dev.valine.orchestrator.discord;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Discord's rate-limit response headers (docs: Topics > Rate Limits): {@code X-RateLimit-Limit},
 * {@code -Remaining}, {@code -Reset-After} (seconds, may have decimals), {@code -Bucket}, and on a 429
 * {@code -Global} and {@code -Scope} (user, global, shared), plus the standard {@code Retry-After}.
 * An absent or unparsable value is empty: unknown values mean "no information", never "retry now".
 */
record RateLimitHeaders(
    Optional<Integer> remaining,
    Optional<Duration> resetAfter,
    Optional<String> bucket,
    boolean global,
    Optional<String> scope,
    Optional<Duration> retryAfter) {

  static RateLimitHeaders parse(Function<String, String> header) {
    return new RateLimitHeaders(
        integer(header.apply("X-RateLimit-Remaining")),
        seconds(header.apply("X-RateLimit-Reset-After")),
        Optional.ofNullable(header.apply("X-RateLimit-Bucket")).filter(s -> !s.isBlank()),
        "true".equalsIgnoreCase(header.apply("X-RateLimit-Global")),
        Optional.ofNullable(header.apply("X-RateLimit-Scope")),
        seconds(header.apply("Retry-After")));
  }

  /** Seconds as Discord writes them ("1", "0.250", "64.57") to a duration; negative or garbage is empty. */
  static Optional<Duration> seconds(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos((long) (seconds * 1_000_000_000L)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Integer> integer(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
