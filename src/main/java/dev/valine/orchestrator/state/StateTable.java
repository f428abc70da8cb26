package dev.valine.orchestrator.state;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The one table behind shared state ({@code TRACE_TABLE_NAME}), its key design, and its creation for
 * {@code serve} (in Lambda the SAM template owns it; the function never creates tables).
 *
 * <pre>
 * item                    pk                      sk                                  other attributes
 * one trace               user#&lt;user id&gt;          trace#&lt;started ms, 13 digits&gt;#&lt;id&gt;   trace_id, record (JSON), expires_at
 * one alert fingerprint   alert#&lt;fingerprint&gt;     window                              expires_at, suppressed, opened_by
 * one interaction claim   claim#&lt;interaction id&gt;  claim                               expires_at, claimed_by
 * one alert hand-off      alerts#&lt;interaction id&gt; claim                               expires_at, claimed_by
 * one deferred job        job#&lt;interaction id&gt;    job                                 expires_at, owner, started_by, state,
 *                                                                                     lease_until (epoch ms), progress (map)
 * </pre>
 *
 * The newest trace of a user is one strongly consistent Query on {@code pk}, newest {@code sk} first, no
 * scan. A trace by id goes through the keys-only index {@value #TRACE_ID_INDEX}. Claims are conditional
 * writes ({@link DynamoClaimStore}). {@code expires_at} (epoch seconds) is the table's TTL attribute;
 * DynamoDB deletes expired items within a day or two, so readers also check it themselves.
 */
public final class StateTable {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String TRACE_ID = "trace_id";
  static final String RECORD = "record";
  static final String EXPIRES_AT = "expires_at";
  static final String SUPPRESSED = "suppressed";
  static final String TRACE_ID_INDEX = "by_trace_id";

  private StateTable() {}

  /**
   * {@link #ensureExists(DynamoDbClient, String, Duration)} with a client of its own, whose timeouts suit
   * table management rather than the reply path, closed when done.
   */
  public static boolean ensureExists(AwsEnvironment aws, String table) throws InterruptedException {
    try (DynamoDbClient admin = AwsClients.dynamoDb(aws, StateClients.ADMIN)) {
      return ensureExists(admin, table, Duration.ofSeconds(60));
    }
  }

  /**
   * Creates the table if it does not exist and waits until it is active; for {@code serve} against a
   * local DynamoDB-compatible server or a developer's account.
   *
   * @return true if it created the table
   */
  public static boolean ensureExists(DynamoDbClient dynamo, String table, Duration wait) throws InterruptedException {
    try {
      if (status(dynamo, table) == TableStatus.ACTIVE) {
        return false;
      }
    } catch (ResourceNotFoundException missing) {
      dynamo.createTable(definition(table));
    }
    awaitActive(dynamo, table, wait);
    try {
      dynamo.updateTimeToLive(ttl -> ttl.tableName(table).timeToLiveSpecification(spec -> spec.attributeName(EXPIRES_AT).enabled(true)));
    } catch (DynamoDbException e) {
      if (!"UnknownOperationException".equals(e.awsErrorDetails().errorCode())) {
        throw e;
      }
      // Local stand-ins such as dynalite have no TTL. Readers skip expired items themselves, so only deletion waits.
      LoggerFactory.getLogger(StateTable.class).warn("{} does not support TTL; expired items stay until deleted by hand",
          "this DynamoDB-compatible server");
    }
    return true;
  }

  /** The CreateTable request: the same table as {@code StateTable} in template.yaml (StateTableTest compares them). */
  static CreateTableRequest definition(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attribute(PK), attribute(SK), attribute(TRACE_ID))
        .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
            .indexName(TRACE_ID_INDEX)
            .keySchema(key(TRACE_ID, KeyType.HASH))
            .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY))
            .build())
        .build();
  }

  /** A string attribute value. */
  static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  /** A number attribute value. */
  static AttributeValue n(long value) {
    return AttributeValue.builder().n(Long.toString(value)).build();
  }

  /** The primary key of an item. */
  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, s(pk), SK, s(sk));
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static TableStatus status(DynamoDbClient dynamo, String table) {
    return dynamo.describeTable(describe -> describe.tableName(table)).table().tableStatus();
  }

  private static void awaitActive(DynamoDbClient dynamo, String table, Duration wait) throws InterruptedException {
    Instant until = Instant.now().plus(wait);
    while (true) {
      TableStatus status = status(dynamo, table);
      if (status == TableStatus.ACTIVE) {
        return;
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("DynamoDB table " + table + " is still " + status + " after " + wait.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }
}
