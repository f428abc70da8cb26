package dev.valine.orchestrator.state;

import static dev.valine.orchestrator.state.StateTable.EXPIRES_AT;
import static dev.valine.orchestrator.state.StateTable.PK;
import static dev.valine.orchestrator.state.StateTable.SK;
import static dev.valine.orchestrator.state.StateTable.key;
import static dev.valine.orchestrator.state.StateTable.n;
import static dev.valine.orchestrator.state.StateTable.s;

import dev.valine.orchestrator.command.ClaimStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Claims in the table every container shares ({@link StateTable}), decided by conditional writes: of two
 * containers claiming the same interaction at once, exactly one write succeeds.
 *
 * <ul>
 *   <li>A claim ({@code sk = claim}) is a {@code PutItem} that succeeds only if no live item holds the key.
 *   <li>A job ({@code sk = job}) is an {@code UpdateItem} that starts it (no item yet) or takes it over
 *       (its state is {@code running} and its {@code lease_until} has passed), keeping {@code progress} and
 *       {@code started_by}; renewing, recording progress and finishing are {@code UpdateItem}s that succeed
 *       only while {@code owner} is the caller's token.
 * </ul>
 *
 * <p>Each write carries the caller's token ({@code claimed_by}, {@code owner}) and also succeeds over an item
 * with that same token. A write DynamoDB applied but whose answer timed out is retried by the SDK; without
 * the token, the retry would find the claim held, by itself, and the interaction would be answered as a
 * repeat (or the job as a duplicate) with nobody running it. Failures are thrown as the SDK's exceptions.
 */
public final class DynamoClaimStore implements ClaimStore {
  static final String CLAIMED_BY = "claimed_by";
  static final String OWNER = "owner";
  static final String STARTED_BY = "started_by";
  static final String STATE = "state";
  static final String LEASE_UNTIL = "lease_until";
  static final String PROGRESS = "progress";
  static final String CLAIM_SK = "claim";
  static final String JOB_SK = "job";
  private static final String RUNNING = "running";
  private static final String DONE = "done";

  private final Supplier<DynamoDbClient> dynamo;
  private final String table;
  private final Clock clock;

  /** @param dynamo built on first use, not at cold start */
  public DynamoClaimStore(Supplier<DynamoDbClient> dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  @Override
  public boolean claim(String key, String token, Instant expiresAt) {
    try {
      dynamo.get().putItem(put -> put.tableName(table)
          .item(Map.of(PK, s(key), SK, s(CLAIM_SK), EXPIRES_AT, n(expiresAt.getEpochSecond()), CLAIMED_BY, s(token)))
          // An expired item that TTL has not deleted yet counts as absent.
          .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now OR #by = :me")
          .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT, "#by", CLAIMED_BY))
          .expressionAttributeValues(Map.of(":now", n(clock.instant().getEpochSecond()), ":me", s(token))));
      return true;
    } catch (ConditionalCheckFailedException heldByAnother) {
      return false;
    }
  }

  /**
   * An expired job item is never met here: a job is refused once its interaction token has expired, which
   * is before its item does ({@code Claims.retention}).
   */
  @Override
  public JobState begin(String key, String token, Instant leaseUntil, Instant expiresAt) {
    Map<String, AttributeValue> old;
    try {
      old = dynamo.get().updateItem(update -> update.tableName(table).key(key(key, JOB_SK))
          .updateExpression("SET #state = :running, #owner = :me, #lease = :lease, #exp = if_not_exists(#exp, :exp), "
              + "#started = if_not_exists(#started, :me), #progress = if_not_exists(#progress, :none)")
          .conditionExpression("attribute_not_exists(#pk) OR #owner = :me OR (#state = :running AND #lease <= :now)")
          .expressionAttributeNames(Map.of("#pk", PK, "#state", STATE, "#owner", OWNER, "#lease", LEASE_UNTIL, "#exp", EXPIRES_AT,
              "#started", STARTED_BY, "#progress", PROGRESS))
          .expressionAttributeValues(Map.of(":running", s(RUNNING), ":me", s(token), ":lease", n(leaseUntil.toEpochMilli()),
              ":exp", n(expiresAt.getEpochSecond()), ":none", AttributeValue.builder().m(Map.of()).build(),
              ":now", n(clock.millis())))
          .returnValues(ReturnValue.ALL_OLD))
          .attributes();
    } catch (ConditionalCheckFailedException held) {
      return heldBy(key);
    }
    if (old.isEmpty()) {
      return new JobState(JobState.Status.STARTED, Map.of(), Optional.empty());
    }
    // The old item is our own first write when the SDK retried this one: started by us, or taken over by us.
    boolean startedByUs = token.equals(text(old.get(STARTED_BY)));
    return new JobState(startedByUs ? JobState.Status.STARTED : JobState.Status.TAKEN_OVER, progress(old), Optional.empty());
  }

  /** Why a begin was refused: the job is done, or another attempt's lease is live. Read strongly consistent. */
  private JobState heldBy(String key) {
    Map<String, AttributeValue> item = dynamo.get().getItem(get -> get.tableName(table).key(key(key, JOB_SK)).consistentRead(true))
        .item();
    if (DONE.equals(text(item.get(STATE)))) {
      return new JobState(JobState.Status.DONE, Map.of(), Optional.empty());
    }
    AttributeValue lease = item.get(LEASE_UNTIL);
    Optional<Instant> until = lease == null || lease.n() == null ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(Long.parseLong(lease.n())));
    return new JobState(JobState.Status.RUNNING_ELSEWHERE, Map.of(), until);
  }

  @Override
  public boolean renew(String key, String token, Instant leaseUntil) {
    return whileOwned(key, token, "SET #lease = :lease", Map.of("#lease", LEASE_UNTIL), Map.of(":lease", n(leaseUntil.toEpochMilli())));
  }

  @Override
  public boolean record(String key, String token, String name, String value, Instant leaseUntil) {
    return whileOwned(key, token, "SET #progress.#name = :value, #lease = :lease",
        Map.of("#progress", PROGRESS, "#name", name, "#lease", LEASE_UNTIL),
        Map.of(":value", s(value), ":lease", n(leaseUntil.toEpochMilli())));
  }

  @Override
  public boolean finish(String key, String token) {
    try {
      dynamo.get().updateItem(update -> update.tableName(table).key(key(key, JOB_SK))
          .updateExpression("SET #state = :done")
          .conditionExpression("#owner = :me")
          .expressionAttributeNames(Map.of("#state", STATE, "#owner", OWNER))
          .expressionAttributeValues(Map.of(":done", s(DONE), ":me", s(token))));
      return true;
    } catch (ConditionalCheckFailedException notOurs) {
      return false;
    }
  }

  /** An update of a running job this token owns; false if it does not (taken over, done, or never begun). */
  private boolean whileOwned(String key, String token, String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    Map<String, String> allNames = new LinkedHashMap<>(names);
    allNames.put("#owner", OWNER);
    allNames.put("#state", STATE);
    Map<String, AttributeValue> allValues = new LinkedHashMap<>(values);
    allValues.put(":me", s(token));
    allValues.put(":running", s(RUNNING));
    try {
      dynamo.get().updateItem(update -> update.tableName(table).key(key(key, JOB_SK))
          .updateExpression(expression)
          .conditionExpression("#owner = :me AND #state = :running")
          .expressionAttributeNames(allNames)
          .expressionAttributeValues(allValues));
      return true;
    } catch (ConditionalCheckFailedException notOurs) {
      return false;
    }
  }

  private static String text(AttributeValue value) {
    return value == null ? null : value.s();
  }

  private static Map<String, String> progress(Map<String, AttributeValue> item) {
    AttributeValue progress = item.get(PROGRESS);
    Map<String, String> recorded = new LinkedHashMap<>();
    if (progress != null && progress.hasM()) {
      progress.m().forEach((name, value) -> {
        if (value.s() != null) {
          recorded.put(name, value.s());
        }
      });
    }
    return recorded;
  }
}
