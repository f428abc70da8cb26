package dev.valine.orchestrator.state;

import static dev.valine.orchestrator.state.DynamoDb.n;
import static dev.valine.orchestrator.state.DynamoDb.s;
import static dev.valine.orchestrator.state.StateTable.EXPIRES_AT;
import static dev.valine.orchestrator.state.StateTable.PK;
import static dev.valine.orchestrator.state.StateTable.RECORD;
import static dev.valine.orchestrator.state.StateTable.SK;
import static dev.valine.orchestrator.state.StateTable.TRACE_ID;
import static dev.valine.orchestrator.state.StateTable.TRACE_ID_INDEX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Traces in DynamoDB ({@link StateTable}), shared by every container: {@code /debug-last} finds a user's
 * newest trace wherever the command ran. One item per trace, expiring after the retention period. A
 * deferred command's second half writes the same key (same user, start and id) and so replaces the
 * "running" snapshot of the first. Errors are thrown as {@link dev.valine.orchestrator.aws.AwsException}s;
 * {@link FallbackTraceStore} turns them into the in-memory store.
 */
public final class DynamoTraceStore implements TraceStore {
  /** DynamoDB items are at most 400 KB; the rest of the item and some slack stay under it. */
  static final int MAX_RECORD_BYTES = 300 * 1024;

  private final Supplier<DynamoDb> dynamo;
  private final String table;
  private final Duration retention;
  private final Clock clock;

  /** @param dynamo built on first use, not at cold start */
  public DynamoTraceStore(Supplier<DynamoDb> dynamo, String table, Duration retention, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Builds the client and sends one read (of a key that never exists), loading the signer, the
   * credentials and the HTTP connection (docs/benchmarks.md), while the command works, not after it.
   */
  @Override
  public void prepare() {
    dynamo.get().call("GetItem", getItem(key(s("warm-up"), s("warm-up"))));
  }

  @Override
  public void record(TraceRecord trace) {
    ObjectNode put = Jackson.object();
    put.put("TableName", table);
    ObjectNode item = put.putObject("Item");
    item.set(PK, s(userKey(trace.userId())));
    item.set(SK, s(traceKey(trace)));
    item.set(TRACE_ID, s(trace.traceId()));
    item.set(RECORD, s(TraceItems.bounded(trace, MAX_RECORD_BYTES)));
    item.set(EXPIRES_AT, n(clock.instant().plus(retention).getEpochSecond()));
    dynamo.get().call("PutItem", put);
  }

  @Override
  public Optional<TraceRecord> newestFor(String userId) {
    ObjectNode query = Jackson.object();
    query.put("TableName", table);
    query.put("KeyConditionExpression", "#pk = :pk AND begins_with(#sk, :prefix)");
    query.putObject("ExpressionAttributeNames").put("#pk", PK).put("#sk", SK);
    ObjectNode values = query.putObject("ExpressionAttributeValues");
    values.set(":pk", s(userKey(userId)));
    values.set(":prefix", s("trace#"));
    query.put("ScanIndexForward", false);
    query.put("Limit", 1);
    query.put("ConsistentRead", true);
    return first(dynamo.get().call("Query", query)).flatMap(this::live).filter(trace -> trace.userId().equals(userId));
  }

  @Override
  public Optional<TraceRecord> find(String traceId) {
    ObjectNode query = Jackson.object();
    query.put("TableName", table);
    query.put("IndexName", TRACE_ID_INDEX);
    query.put("KeyConditionExpression", "#id = :id");
    query.putObject("ExpressionAttributeNames").put("#id", TRACE_ID);
    query.putObject("ExpressionAttributeValues").set(":id", s(traceId));
    query.put("Limit", 1);
    return first(dynamo.get().call("Query", query))
        .map(keys -> dynamo.get().call("GetItem", getItem(key(keys.path(PK), keys.path(SK)))).path("Item"))
        .filter(item -> item.isObject() && !item.isEmpty())
        .flatMap(this::live);
  }

  private ObjectNode getItem(ObjectNode key) {
    ObjectNode get = Jackson.object();
    get.put("TableName", table);
    get.set("Key", key);
    get.put("ConsistentRead", true);
    return get;
  }

  private static ObjectNode key(JsonNode pk, JsonNode sk) {
    ObjectNode key = Jackson.object();
    key.set(PK, pk);
    key.set(SK, sk);
    return key;
  }

  private static Optional<JsonNode> first(JsonNode queryResult) {
    JsonNode items = queryResult.path("Items");
    return items.isArray() && !items.isEmpty() ? Optional.of(items.get(0)) : Optional.empty();
  }

  /** The trace in an item, unless it has expired but DynamoDB has not deleted it yet. */
  private Optional<TraceRecord> live(JsonNode item) {
    JsonNode expires = item.path(EXPIRES_AT).path("N");
    if (expires.isTextual() && Long.parseLong(expires.asText()) <= clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TraceRecord.fromJson(Jackson.parse(item.path(RECORD).path("S").asText())));
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
