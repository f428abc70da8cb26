package dev.valine.orchestrator.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.AwsException;
import dev.valine.orchestrator.json.Jackson;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.LoggerFactory;

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
   * {@link #ensureExists(DynamoDb, String, Duration)} with a client of its own, whose timeouts suit
   * table management rather than the reply path.
   */
  public static boolean ensureExists(AwsEnvironment aws, String table) throws InterruptedException {
    return ensureExists(DynamoDb.fromEnvironment(aws, DynamoDb.ADMIN), table, Duration.ofSeconds(60));
  }

  /**
   * Creates the table if it does not exist and waits until it is active; for {@code serve} against a
   * local DynamoDB-compatible server or a developer's account.
   *
   * @return true if it created the table
   */
  public static boolean ensureExists(DynamoDb dynamo, String table, Duration wait) throws InterruptedException {
    try {
      if ("ACTIVE".equals(status(dynamo, table))) {
        return false;
      }
    } catch (AwsException e) {
      if (!e.is(DynamoDb.RESOURCE_NOT_FOUND)) {
        throw e;
      }
      dynamo.call("CreateTable", definition(table));
    }
    awaitActive(dynamo, table, wait);
    ObjectNode ttl = Jackson.object();
    ttl.put("TableName", table);
    ttl.putObject("TimeToLiveSpecification").put("AttributeName", EXPIRES_AT).put("Enabled", true);
    try {
      dynamo.call("UpdateTimeToLive", ttl);
    } catch (AwsException e) {
      if (!e.is("UnknownOperationException")) {
        throw e;
      }
      // Local stand-ins such as dynalite have no TTL. Readers skip expired items themselves, so only deletion waits.
      LoggerFactory.getLogger(StateTable.class).warn("{} does not support TTL; expired items stay until deleted by hand",
          "this DynamoDB-compatible server");
    }
    return true;
  }

  /** The CreateTable request: the same table as {@code StateTable} in template.yaml (StateTableTest compares them). */
  static ObjectNode definition(String table) {
    ObjectNode create = Jackson.object();
    create.put("TableName", table);
    create.put("BillingMode", "PAY_PER_REQUEST");
    ArrayNode attributes = create.putArray("AttributeDefinitions");
    for (String attribute : new String[] {PK, SK, TRACE_ID}) {
      attributes.addObject().put("AttributeName", attribute).put("AttributeType", "S");
    }
    ArrayNode keys = create.putArray("KeySchema");
    keys.addObject().put("AttributeName", PK).put("KeyType", "HASH");
    keys.addObject().put("AttributeName", SK).put("KeyType", "RANGE");
    ObjectNode index = create.putArray("GlobalSecondaryIndexes").addObject();
    index.put("IndexName", TRACE_ID_INDEX);
    index.putArray("KeySchema").addObject().put("AttributeName", TRACE_ID).put("KeyType", "HASH");
    index.putObject("Projection").put("ProjectionType", "KEYS_ONLY");
    return create;
  }

  private static String status(DynamoDb dynamo, String table) {
    ObjectNode describe = Jackson.object();
    describe.put("TableName", table);
    return dynamo.call("DescribeTable", describe).path("Table").path("TableStatus").asText();
  }

  private static void awaitActive(DynamoDb dynamo, String table, Duration wait) throws InterruptedException {
    Instant until = Instant.now().plus(wait);
    while (true) {
      String status = status(dynamo, table);
      if ("ACTIVE".equals(status)) {
        return;
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("DynamoDB table " + table + " is still " + status + " after " + wait.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }
}
