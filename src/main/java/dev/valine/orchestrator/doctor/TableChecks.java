package dev.valine.orchestrator.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The shared-state table ({@code TRACE_TABLE_NAME}): it exists, with the keys and index the stores use, and expires
 * items by TTL. The expected names are the ones {@code StateTable} creates the table with; DoctorTableTest creates
 * it that way and expects both checks to pass.
 */
final class TableChecks implements Section {
  static final String TABLE = "DynamoDB table";
  static final String TTL = "DynamoDB TTL";
  private static final String PK = "pk";
  private static final String SK = "sk";
  private static final String TRACE_ID = "trace_id";
  private static final String TRACE_ID_INDEX = "by_trace_id";
  private static final String EXPIRES_AT = "expires_at";

  private final Optional<String> table;
  private final Supplier<DynamoDbClient> clients;

  /** @param clients builds the client when a table is configured; it is closed when the checks are done */
  TableChecks(Optional<String> table, Supplier<DynamoDbClient> clients) {
    this.table = table;
    this.clients = clients;
  }

  @Override
  public String title() {
    return "DynamoDB";
  }

  @Override
  public List<Check> run() {
    if (table.isEmpty()) {
      String reason = "TRACE_TABLE_NAME not set (traces and alert deduplication stay in each container's memory)";
      return List.of(Check.skip(TABLE, reason), Check.skip(TTL, reason));
    }
    String name = table.get();
    try (DynamoDbClient dynamo = clients.get()) {
      TableDescription description;
      try {
        description = dynamo.describeTable(describe -> describe.tableName(name)).table();
      } catch (ResourceNotFoundException e) {
        return List.of(Check.fail(TABLE, "there is no table " + name + " in this account and region",
                "deploy the stack (template.yaml creates it), or correct TRACE_TABLE_NAME and AWS_REGION"),
            Check.skip(TTL, "needs the table"));
      }
      return List.of(keys(name, description), ttl(dynamo, name));
    } catch (SdkException e) {
      // Credentials, region or network: the SDK's message says which, and holds no secret.
      return List.of(Check.fail(TABLE, "could not ask DynamoDB about " + name + ": " + e.getMessage(),
              "check the AWS credentials and region this runs with (aws sts get-caller-identity), then run doctor again"),
          Check.skip(TTL, "needs the table"));
    }
  }

  private static Check keys(String name, TableDescription table) {
    List<String> problems = new ArrayList<>();
    if (!key(table.keySchema(), KeyType.HASH).equals(Optional.of(PK)) || !key(table.keySchema(), KeyType.RANGE).equals(Optional.of(SK))) {
      problems.add("its key is " + describe(table.keySchema()) + ", not " + PK + " (partition) and " + SK + " (sort)");
    }
    Optional<GlobalSecondaryIndexDescription> index = table.globalSecondaryIndexes().stream()
        .filter(candidate -> TRACE_ID_INDEX.equals(candidate.indexName())).findFirst();
    if (index.isEmpty()) {
      problems.add("it has no index " + TRACE_ID_INDEX + " (so /debug-last cannot find a trace by id)");
    } else if (!key(index.get().keySchema(), KeyType.HASH).equals(Optional.of(TRACE_ID))) {
      problems.add("its index " + TRACE_ID_INDEX + " is keyed on " + describe(index.get().keySchema()) + ", not " + TRACE_ID);
    }
    if (!problems.isEmpty()) {
      return Check.fail(TABLE, name + " is not the bot's table: " + String.join("; ", problems),
          "point TRACE_TABLE_NAME at the table the stack creates (template.yaml, StateTable), or recreate it from there");
    }
    if (table.tableStatus() != TableStatus.ACTIVE) {
      return Check.warn(TABLE, name + " has the expected keys and index, and is " + table.tableStatusAsString(),
          "wait until it is ACTIVE, then run doctor again");
    }
    return Check.pass(TABLE, name + " is ACTIVE with keys " + PK + "/" + SK + " and index " + TRACE_ID_INDEX);
  }

  /** DynamoDB deletes items whose TTL attribute has passed; without it, the table only grows. */
  static Check ttl(DynamoDbClient dynamo, String name) {
    TimeToLiveDescription ttl;
    try {
      ttl = dynamo.describeTimeToLive(describe -> describe.tableName(name)).timeToLiveDescription();
    } catch (DynamoDbException e) {
      if (e.awsErrorDetails() != null && "UnknownOperationException".equals(e.awsErrorDetails().errorCode())) {
        return Check.skip(TTL, "this DynamoDB-compatible endpoint does not support DescribeTimeToLive");
      }
      return Check.fail(TTL, "could not read the TTL of " + name + ": " + e.getMessage(),
          "allow dynamodb:DescribeTimeToLive to whoever runs doctor, then run it again");
    }
    String fix = "aws dynamodb update-time-to-live --table-name " + name + " --time-to-live-specification Enabled=true,AttributeName="
        + EXPIRES_AT;
    TimeToLiveStatus status = ttl.timeToLiveStatus();
    if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
      if (!EXPIRES_AT.equals(ttl.attributeName())) {
        return Check.fail(TTL, name + " expires items by " + ttl.attributeName() + ", but the bot writes " + EXPIRES_AT,
            "disable that TTL, wait for it to finish, then: " + fix);
      }
      return Check.pass(TTL, name + " expires items by " + EXPIRES_AT + (status == TimeToLiveStatus.ENABLING ? " (being enabled)" : ""));
    }
    String shown = ttl.timeToLiveStatusAsString() == null ? "DISABLED" : ttl.timeToLiveStatusAsString();
    return Check.fail(TTL, name + " has TTL " + shown + ": expired traces and claims are never deleted "
        + "(readers skip them, the table keeps growing; DynamoDB stand-ins such as dynalite have no TTL)", fix);
  }

  private static Optional<String> key(List<KeySchemaElement> schema, KeyType type) {
    return schema.stream().filter(element -> element.keyType() == type).map(KeySchemaElement::attributeName).findFirst();
  }

  private static String describe(List<KeySchemaElement> schema) {
    return String.join(", ", schema.stream().map(element -> element.attributeName() + " (" + element.keyTypeAsString() + ")").toList());
  }
}
