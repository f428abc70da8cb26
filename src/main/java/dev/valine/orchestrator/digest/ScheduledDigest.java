package dev.valine.orchestrator.digest;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.time.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily digest, posted to the ops channel when the stage's EventBridge schedule invokes the function
 * ({@code ENABLE_DAILY_DIGEST=true}). Only the schedule's own events are accepted: an EventBridge "Scheduled
 * Event" from {@code aws.events} whose one resource is the rule named by {@code DAILY_DIGEST_RULE}. Anything
 * else that looks like a scheduled event is refused and logged, as a forged job is. At most one digest is
 * posted per UTC day, whatever Lambda retries or anyone replays.
 */
public final class ScheduledDigest {
  /** What became of one scheduled event. */
  public enum Outcome { POSTED, OFF, DUPLICATE, REFUSED, FAILED }

  /** Posts the digest's text to the ops channel (or logs it, with {@code DRY_RUN}). */
  @FunctionalInterface
  public interface Channel {
    void post(String text) throws Exception;
  }

  /** Takes something once: {@code Claims.claimOnce}. */
  @FunctionalInterface
  public interface Once {
    boolean first(String key, Instant expiresAt);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ScheduledDigest.class);
  // GitHub is given this long; the post gets the rest of what the function's timeout allows.
  private static final Duration RENDER_BUDGET = Duration.ofSeconds(30);
  // A day's claim outlives the day and every retry of its event (Lambda keeps an async event at most 6 hours).
  private static final Duration CLAIM_LIFETIME = Duration.ofDays(2);

  private final DigestService digests;
  private final boolean enabled;
  private final Optional<String> rule;
  private final Channel channel;
  private final Once once;
  private final Clock clock;

  /**
   * @param enabled {@code ENABLE_DAILY_DIGEST}
   * @param rule {@code DAILY_DIGEST_RULE}: the only rule whose events are accepted; empty refuses all
   */
  public ScheduledDigest(DigestService digests, boolean enabled, Optional<String> rule, Channel channel, Once once, Clock clock) {
    this.digests = digests;
    this.enabled = enabled;
    this.rule = rule;
    this.channel = channel;
    this.once = once;
    this.clock = clock;
  }

  /** Whether the event claims to come from EventBridge: the handler then gives it here rather than decode it as HTTP. */
  public static boolean isScheduledEvent(JsonNode event) {
    return event.has("detail-type") || "aws.events".equals(event.path("source").asText(null));
  }

  /** Posts the day's digest unless the event is not the schedule's, the digest is off, or today's is already posted. Never throws. */
  public Outcome run(JsonNode event) {
    Optional<String> refusal = refusal(event);
    if (refusal.isPresent()) {
      LOG.error("scheduled event refused: {} {}", refusal.get(), kv("event_id", event.path("id").asText("")));
      return Outcome.REFUSED;
    }
    if (!enabled) {
      LOG.info("scheduled digest skipped: ENABLE_DAILY_DIGEST is not true");
      return Outcome.OFF;
    }
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!once.first("digest#" + day, clock.instant().plus(CLAIM_LIFETIME))) {
      LOG.info("scheduled digest already posted today {}", kv("day", day.toString()));
      return Outcome.DUPLICATE;
    }
    String text;
    try {
      text = digests.render(DigestPeriod.DAILY, Deadline.of(clock.instant(), RENDER_BUDGET, clock));
    } catch (DigestUnavailableException e) {
      // The channel hears why there is no digest today, rather than nothing.
      text = "**Daily digest** unavailable: " + e.getMessage();
      LOG.warn("daily digest unavailable: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("daily digest interrupted before it was posted");
      return Outcome.FAILED;
    }
    try {
      channel.post(text);
    } catch (Exception e) {
      LOG.error("daily digest not posted: {}", e.getMessage(), e);
      return Outcome.FAILED;
    }
    LOG.info("daily digest posted {}", kv("day", day.toString()));
    return Outcome.POSTED;
  }

  /** Why the event is not one of the schedule's, or empty when it is. */
  private Optional<String> refusal(JsonNode event) {
    if (!"aws.events".equals(event.path("source").asText(null)) || !"Scheduled Event".equals(event.path("detail-type").asText(null))) {
      return Optional.of("not an EventBridge scheduled event");
    }
    if (rule.isEmpty()) {
      return Optional.of("DAILY_DIGEST_RULE is not set, so no schedule is expected");
    }
    JsonNode resources = event.path("resources");
    // A rule's ARN: arn:<partition>:events:<region>:<account>:rule/<name> (an event bus other than the default adds its name).
    if (!resources.isArray() || resources.size() != 1 || !resources.get(0).asText("").endsWith("/" + rule.get())
        || !resources.get(0).asText("").contains(":rule/")) {
      return Optional.of("it does not come from the rule " + rule.get());
    }
    return Optional.empty();
  }
}
