package dev.valine.orchestrator.state;

import static dev.valine.orchestrator.state.StateTable.EXPIRES_AT;
import static dev.valine.orchestrator.state.StateTable.PK;
import static dev.valine.orchestrator.state.StateTable.SK;
import static dev.valine.orchestrator.state.StateTable.SUPPRESSED;
import static dev.valine.orchestrator.state.StateTable.n;
import static dev.valine.orchestrator.state.StateTable.s;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.Deduplicator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Alert deduplication across containers: one item per fingerprint ({@code alert#…} in {@link StateTable})
 * whose conditional write decides who posts. The write succeeds only if no window is open (no item, or its
 * {@code expires_at} has passed), so of many containers raising the same alert at once exactly one posts
 * per window; the others add 1 to the item's {@code suppressed} counter atomically. The write that opens
 * the next window returns the old item, and so the number held back, for the "N similar suppressed" line.
 *
 * <p>Each decision writes a fresh {@code opened_by} token, and the write also succeeds over an item with
 * its own token. A write that DynamoDB applied but whose answer timed out is retried by the SDK; without
 * the token the retry would find "its" window open, count itself as suppressed, and nobody would post the
 * alert. The counting {@code ADD} has no such guard: a retry after a lost answer counts that alert twice,
 * so the next "N similar suppressed" line may be one too high. That is the accepted cost; a lost alert is not.
 */
public final class DynamoAlertDeduplicator implements Deduplicator {
  static final String OPENED_BY = "opened_by";
  private static final String WINDOW = "window";
  private static final int MAX_RAW_KEY = 512;
  // A window deleted between our failed open and our count sends us round again; twice is already rare.
  private static final int MAX_ROUNDS = 3;

  private final Supplier<DynamoDbClient> dynamo;
  private final String table;
  private final Duration window;
  private final Clock clock;

  public DynamoAlertDeduplicator(Supplier<DynamoDbClient> dynamo, String table, Duration window, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.window = window;
    this.clock = clock;
  }

  @Override
  public AlertDeduplicator.Decision decide(String fingerprint) {
    Map<String, AttributeValue> key = StateTable.key(fingerprintKey(fingerprint), WINDOW);
    for (int round = 1; ; round++) {
      try {
        return open(key, UUID.randomUUID().toString());
      } catch (ConditionalCheckFailedException windowOpen) {
        // Another decision opened this window: count ourselves below.
      }
      try {
        return suppress(key);
      } catch (ConditionalCheckFailedException deletedMeanwhile) {
        if (round == MAX_ROUNDS) {
          throw deletedMeanwhile;
        }
        // TTL deleted the window between the two writes: try to open the next one.
      }
    }
  }

  private AlertDeduplicator.Decision open(Map<String, AttributeValue> key, String token) {
    long now = clock.instant().getEpochSecond();
    Map<String, AttributeValue> old = dynamo.get().putItem(put -> put.tableName(table)
        .item(Map.of(PK, key.get(PK), SK, key.get(SK), EXPIRES_AT, n(now + window.toSeconds()), SUPPRESSED, n(0),
            OPENED_BY, s(token)))
        .conditionExpression("attribute_not_exists(#pk) OR attribute_not_exists(#exp) OR #exp <= :now OR #by = :me")
        .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT, "#by", OPENED_BY))
        .expressionAttributeValues(Map.of(":now", n(now), ":me", s(token)))
        .returnValues(ReturnValue.ALL_OLD))
        .attributes();
    // The old item is our own when a retry overwrote the write that opened the window: nothing was held back then.
    boolean previousWindow = !old.isEmpty() && !(old.containsKey(OPENED_BY) && token.equals(old.get(OPENED_BY).s()));
    return new AlertDeduplicator.Decision(true, previousWindow ? number(old.get(SUPPRESSED)) : 0);
  }

  private AlertDeduplicator.Decision suppress(Map<String, AttributeValue> key) {
    // Only on the live item: adding to an item TTL just deleted would leave a window that never ends.
    Map<String, AttributeValue> counted = dynamo.get().updateItem(update -> update.tableName(table).key(key)
        .updateExpression("ADD #sup :one")
        .conditionExpression("attribute_exists(#pk)")
        .expressionAttributeNames(Map.of("#sup", SUPPRESSED, "#pk", PK))
        .expressionAttributeValues(Map.of(":one", n(1)))
        .returnValues(ReturnValue.UPDATED_NEW))
        .attributes();
    return new AlertDeduplicator.Decision(false, number(counted.get(SUPPRESSED)));
  }

  private static int number(AttributeValue value) {
    return value == null || value.n() == null ? 0 : Integer.parseInt(value.n());
  }

  /** The fingerprint itself, readable in the table; hashed when too long for a key. */
  static String fingerprintKey(String fingerprint) {
    if (fingerprint.length() <= MAX_RAW_KEY) {
      return "alert#" + fingerprint;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
      return "alert#sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
