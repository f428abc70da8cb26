package dev.valine.orchestrator.state;

import static dev.valine.orchestrator.state.DynamoDb.CONDITIONAL_CHECK_FAILED;
import static dev.valine.orchestrator.state.DynamoDb.n;
import static dev.valine.orchestrator.state.DynamoDb.s;
import static dev.valine.orchestrator.state.StateTable.EXPIRES_AT;
import static dev.valine.orchestrator.state.StateTable.PK;
import static dev.valine.orchestrator.state.StateTable.SK;
import static dev.valine.orchestrator.state.StateTable.SUPPRESSED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.Deduplicator;
import dev.valine.orchestrator.aws.AwsException;
import dev.valine.orchestrator.json.Jackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Alert deduplication across containers: one item per fingerprint ({@code alert#…} in {@link StateTable})
 * whose conditional write decides who posts. The write succeeds only if no window is open (no item, or its
 * {@code expires_at} has passed), so of many containers raising the same alert at once exactly one posts
 * per window; the others add 1 to the item's {@code suppressed} counter atomically. The write that opens
 * the next window returns the old item, and so the number held back, for the "N similar suppressed" line.
 *
 * <p>Each decision writes a fresh {@code opened_by} token, and the write also succeeds over an item with
 * its own token. A write that DynamoDB applied but whose answer timed out is retried; without the token
 * the retry would find "its" window open, count itself as suppressed, and nobody would post the alert.
 * The counting {@code ADD} has no such guard: a retry after a lost answer counts that alert twice, so
 * the next "N similar suppressed" line may be one too high. That is the accepted cost; a lost alert is not.
 */
public final class DynamoAlertDeduplicator implements Deduplicator {
  static final String OPENED_BY = "opened_by";
  private static final String WINDOW = "window";
  private static final int MAX_RAW_KEY = 512;
  // A window deleted between our failed open and our count sends us round again; twice is already rare.
  private static final int MAX_ROUNDS = 3;

  private final Supplier<DynamoDb> dynamo;
  private final String table;
  private final Duration window;
  private final Clock clock;

  public DynamoAlertDeduplicator(Supplier<DynamoDb> dynamo, String table, Duration window, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.window = window;
    this.clock = clock;
  }

  @Override
  public AlertDeduplicator.Decision decide(String fingerprint) {
    ObjectNode key = Jackson.object();
    key.set(PK, s(fingerprintKey(fingerprint)));
    key.set(SK, s(WINDOW));
    for (int round = 1; ; round++) {
      String token = UUID.randomUUID().toString();
      try {
        return open(key, token);
      } catch (AwsException e) {
        if (!e.is(CONDITIONAL_CHECK_FAILED)) {
          throw e;
        }
      }
      try {
        return suppress(key);
      } catch (AwsException e) {
        if (!e.is(CONDITIONAL_CHECK_FAILED) || round == MAX_ROUNDS) {
          throw e;
        }
        // TTL deleted the window between the two writes: try to open the next one.
      }
    }
  }

  private AlertDeduplicator.Decision open(ObjectNode key, String token) {
    long now = clock.instant().getEpochSecond();
    ObjectNode put = Jackson.object();
    put.put("TableName", table);
    ObjectNode item = put.putObject("Item");
    item.setAll(key);
    item.set(EXPIRES_AT, n(now + window.toSeconds()));
    item.set(SUPPRESSED, n(0));
    item.set(OPENED_BY, s(token));
    put.put("ConditionExpression", "attribute_not_exists(#pk) OR attribute_not_exists(#exp) OR #exp <= :now OR #by = :me");
    put.putObject("ExpressionAttributeNames").put("#pk", PK).put("#exp", EXPIRES_AT).put("#by", OPENED_BY);
    ObjectNode values = put.putObject("ExpressionAttributeValues");
    values.set(":now", n(now));
    values.set(":me", s(token));
    put.put("ReturnValues", "ALL_OLD");
    JsonNode old = dynamo.get().call("PutItem", put).path("Attributes");
    // The old item is our own when a retry overwrote the write that opened the window: nothing was held back then.
    boolean previousWindow = old.isObject() && !token.equals(old.path(OPENED_BY).path("S").asText());
    return new AlertDeduplicator.Decision(true, previousWindow ? old.path(SUPPRESSED).path("N").asInt(0) : 0);
  }

  private AlertDeduplicator.Decision suppress(ObjectNode key) {
    // Only on the live item: adding to an item TTL just deleted would leave a window that never ends.
    ObjectNode update = Jackson.object();
    update.put("TableName", table);
    update.set("Key", key);
    update.put("UpdateExpression", "ADD #sup :one");
    update.put("ConditionExpression", "attribute_exists(#pk)");
    update.putObject("ExpressionAttributeNames").put("#sup", SUPPRESSED).put("#pk", PK);
    update.putObject("ExpressionAttributeValues").set(":one", n(1));
    update.put("ReturnValues", "UPDATED_NEW");
    JsonNode counted = dynamo.get().call("UpdateItem", update);
    return new AlertDeduplicator.Decision(false, counted.path("Attributes").path(SUPPRESSED).path("N").asInt());
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
