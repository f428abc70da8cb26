package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T10:00:00Z"));
  private final RateLimiter limiter = new RateLimiter(time);

  private static Route webhook(int interaction) {
    String token = "fake-interaction-token-" + interaction;
    return new Route("PATCH", "/webhooks/{application_id}/{token}/messages/@original", "1200/" + token,
        "webhooks/1200/" + token + "/messages/@original");
  }

  private static RateLimitHeaders exhausted(String resetAfterSeconds) {
    return RateLimitHeaders.parse(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", resetAfterSeconds,
        "X-RateLimit-Bucket", "webhook-bucket")::get);
  }

  @Test
  void waitsForAnExhaustedBucketToReset() {
    limiter.update(webhook(1), exhausted("2.5"));

    assertEquals(Duration.ofMillis(2_500), limiter.waitBefore(webhook(1)));
    assertEquals(Duration.ZERO, limiter.waitBefore(webhook(2)), "another interaction's webhook is another bucket");
  }

  @Test
  void forgetsWebhookStatesWhoseResetHasPassed() {
    for (int i = 0; i < 500; i++) {
      limiter.update(webhook(i), exhausted("1"));
    }
    time.advance(Duration.ofSeconds(2));

    limiter.update(webhook(10_000), exhausted("1"));

    assertEquals(1, limiter.trackedStates(), "only the live state is kept");
  }

  @Test
  void keepsAtMostMaxStatesWhileAllAreLive() {
    for (int i = 0; i < RateLimiter.MAX_STATES * 3; i++) {
      limiter.update(webhook(i), exhausted("600"));
    }

    assertEquals(RateLimiter.MAX_STATES, limiter.trackedStates());
    assertTrue(limiter.waitBefore(webhook(RateLimiter.MAX_STATES * 3 - 1)).compareTo(Duration.ZERO) > 0, "the newest is kept");
  }
}
