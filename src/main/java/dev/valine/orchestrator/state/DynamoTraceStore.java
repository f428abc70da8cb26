package dev.valine.orchestrator.state;

import static dev.valine.orchestrator.state.StateTable.EXPIRES_AT;
import static dev.valine.orchestrator.state.StateTable.PK;
import static dev.valine.orchestrator.state.StateTable.RECORD;
import static dev.valine.orchestrator.state.StateTable.SK;
import static dev.valine.orchestrator.state.StateTable.TRACE_ID;
import static dev.valine.orchestrator.state.StateTable.TRACE_ID_INDEX;
import static dev.valine.orchestrator.state.StateTable.n;
import static dev.valine.orchestrator.state.StateTable.s;

import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Traces in DynamoDB ({@link StateTable}), shared by every container: {@code /debug-last} finds a user's
 * newest trace wherever the command ran. One item per trace, expiring after the retention period. A
 * deferred command's second half writes the same key (same user, start and id) and so replaces the
 * "running" snapshot of the first. Failures are thrown as the SDK's exceptions; {@link FallbackTraceStore}
 * turns them into the in-memory store.
 */
public final class DynamoTraceStore implements TraceStore {
  /** DynamoDB items are at most 400 KB; the rest of the item and some slack stay under it. */
  static final int MAX_RECORD_BYTES = 300 * 1024;

  private final Supplier<DynamoDbClient> dynamo;
  private final String table;
  private final Duration retention;
  private final Clock clock;

  /** @param dynamo built on first use, not at cold start */
  public DynamoTraceStore(Supplier<DynamoDbClient> dynamo, String table, Duration retention, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Builds the client and sends one read (of a key that never exists): credentials, the SDK's request
   * pipeline and a pooled connection are then ready for the write that follows the command.
   */
  @Override
  public void prepare() {
    dynamo.get().getItem(get -> get.tableName(table).key(StateTable.key("warm-up", "warm-up")));
  }

  @Override
  public void record(TraceRecord trace) {
    dynamo.get().putItem(put -> put.tableName(table).item(Map.of(
        PK, s(userKey(trace.userId())),
        SK, s(traceKey(trace)),
        TRACE_ID, s(trace.traceId()),
        RECORD, s(TraceItems.bounded(trace, MAX_RECORD_BYTES)),
        EXPIRES_AT, n(clock.instant().plus(retention).getEpochSecond()))));
  }

  @Override
  public Optional<TraceRecord> newestFor(String userId) {
    return dynamo.get().query(query -> query.tableName(table)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
            .expressionAttributeValues(Map.of(":pk", s(userKey(userId)), ":prefix", s("trace#")))
            .scanIndexForward(false)
            .limit(1)
            .consistentRead(true))
        .items().stream().findFirst()
        .flatMap(this::live)
        .filter(trace -> trace.userId().equals(userId));
  }

  @Override
  public Optional<TraceRecord> find(String traceId) {
    // The index holds keys only; the item itself is one consistent read away.
    return dynamo.get().query(query -> query.tableName(table).indexName(TRACE_ID_INDEX)
            .keyConditionExpression("#id = :id")
            .expressionAttributeNames(Map.of("#id", TRACE_ID))
            .expressionAttributeValues(Map.of(":id", s(traceId)))
            .limit(1))
        .items().stream().findFirst()
        .map(keys -> dynamo.get().getItem(get -> get.tableName(table).key(Map.of(PK, keys.get(PK), SK, keys.get(SK))).consistentRead(true)))
        .filter(found -> found.hasItem() && !found.item().isEmpty())
        .flatMap(found -> live(found.item()));
  }

  /** The trace in an item, unless it has expired but DynamoDB has not deleted it yet. */
  private Optional<TraceRecord> live(Map<String, AttributeValue> item) {
    AttributeValue expires = item.get(EXPIRES_AT);
    if (expires != null && expires.n() != null && Long.parseLong(expires.n()) <= clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TraceRecord.fromJson(Jackson.parse(item.get(RECORD).s())));
    } catch (IOException e) {
      throw new UncheckedIOException("a stored trace is not JSON", e);
    }
  }

  static String userKey(String userId) {
    return "user#" + userId;
  }

  /** Sorts by start time: 13 digits of epoch milliseconds hold until the year 2286. */
  static String traceKey(TraceRecord trace) {
    return String.format("trace#%013d#%s", trace.startedAt().toEpochMilli(), trace.traceId());
  }
}
