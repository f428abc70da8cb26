package dev.valine.orchestrator.state;

import static dev.valine.orchestrator.state.DynamoTraceStore.n;
import static dev.valine.orchestrator.state.DynamoTraceStore.s;
import static dev.valine.orchestrator.state.StateTable.EXPIRES_AT;
import static dev.valine.orchestrator.state.StateTable.PK;
import static dev.valine.orchestrator.state.StateTable.SK;
import static dev.valine.orchestrator.state.StateTable.SUPPRESSED;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.Deduplicator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Alert deduplication across containers: one item per fingerprint ({@code alert#…} in {@link StateTable})
 * whose conditional write decides who posts. The write succeeds only if no window is open (no item, or its
 * {@code expires_at} has passed), so of many containers raising the same alert at once exactly one posts
 * per window; the others add 1 to the item's {@code suppressed} counter atomically. The write that opens
 * the next window returns the old item, and so the number held back, for the "N similar suppressed" line.
 */
public final class DynamoAlertDeduplicator implements Deduplicator {
  private static final String WINDOW = "window";
  private static final int MAX_RAW_KEY = 512;

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
    Map<String, AttributeValue> key = Map.of(PK, s(fingerprintKey(fingerprint)), SK, s(WINDOW));
    long now = clock.instant().getEpochSecond();
    try {
      PutItemResponse opened = dynamo.get().putItem(put -> put.tableName(table)
          .item(Map.of(PK, key.get(PK), SK, key.get(SK), EXPIRES_AT, n(now + window.toSeconds()), SUPPRESSED, n(0)))
          .conditionExpression("attribute_not_exists(#pk) OR attribute_not_exists(#exp) OR #exp <= :now")
          .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT))
          .expressionAttributeValues(Map.of(":now", n(now)))
          .returnValues(ReturnValue.ALL_OLD));
      AttributeValue before = opened.attributes() == null ? null : opened.attributes().get(SUPPRESSED);
      return new AlertDeduplicator.Decision(true, before == null ? 0 : Integer.parseInt(before.n()));
    } catch (ConditionalCheckFailedException windowOpen) {
      return suppress(key, fingerprint);
    }
  }

  private AlertDeduplicator.Decision suppress(Map<String, AttributeValue> key, String fingerprint) {
    try {
      // Only on the live item: adding to an item TTL just deleted would leave a window that never ends.
      UpdateItemResponse counted = dynamo.get().updateItem(update -> update.tableName(table).key(key)
          .updateExpression("ADD #sup :one")
          .conditionExpression("attribute_exists(#pk)")
          .expressionAttributeNames(Map.of("#sup", SUPPRESSED, "#pk", PK))
          .expressionAttributeValues(Map.of(":one", n(1)))
          .returnValues(ReturnValue.UPDATED_NEW));
      return new AlertDeduplicator.Decision(false, Integer.parseInt(counted.attributes().get(SUPPRESSED).n()));
    } catch (ConditionalCheckFailedException deletedMeanwhile) {
      return decide(fingerprint);
    }
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
