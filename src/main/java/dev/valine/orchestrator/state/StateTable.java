package dev.valine.orchestrator.state;

import dev.valine.orchestrator.aws.AwsEnvironment;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
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
 * one alert fingerprint   alert#&lt;fingerprint&gt;     window                              expires_at, suppressed
 * </pre>
 *
 * The newest trace of a user is one strongly consistent Query on {@code pk}, newest {@code sk} first, no
 * scan. A trace by id goes through the keys-only index {@value #TRACE_ID_INDEX}. {@code expires_at}
 * (epoch seconds) is the table's TTL attribute; DynamoDB deletes expired items within a day or two, so
 * readers also check it themselves.
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
   * table management rather than the reply path.
   */
  public static boolean ensureExists(AwsEnvironment aws, String table) throws InterruptedException {
    try (DynamoDbClient admin = DynamoClients.fromEnvironment(aws, Duration.ofSeconds(10), Duration.ofSeconds(3))) {
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
      if (dynamo.describeTable(d -> d.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
        return false;
      }
    } catch (ResourceNotFoundException missing) {
      dynamo.createTable(create -> create
          .tableName(table)
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(
              AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
              AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
              AttributeDefinition.builder().attributeName(TRACE_ID).attributeType(ScalarAttributeType.S).build())
          .keySchema(
              KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
              KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
          .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
              .indexName(TRACE_ID_INDEX)
              .keySchema(KeySchemaElement.builder().attributeName(TRACE_ID).keyType(KeyType.HASH).build())
              .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
              .build()));
    }
    awaitActive(dynamo, table, wait);
    try {
      dynamo.updateTimeToLive(ttl -> ttl.tableName(table)
          .timeToLiveSpecification(spec -> spec.attributeName(EXPIRES_AT).enabled(true)));
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

  private static void awaitActive(DynamoDbClient dynamo, String table, Duration wait) throws InterruptedException {
    Instant until = Instant.now().plus(wait);
    while (true) {
      DescribeTableResponse description = dynamo.describeTable(d -> d.tableName(table));
      if (description.table().tableStatus() == TableStatus.ACTIVE) {
        return;
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("DynamoDB table " + table + " is still " + description.table().tableStatus()
            + " after " + wait.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }
}
