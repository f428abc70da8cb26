package dev.valine.orchestrator.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.doctor.Check.Status;
import dev.valine.orchestrator.state.StateTable;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The table checks against dynalite (keys, index, existence) and, for TTL, which dynalite does not keep, a fake. */
class DoctorTableTest {
  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private static List<Check> run(String table) {
    return new TableChecks(Optional.of(table), dynalite::client).run();
  }

  @Test
  void theTableTheBotCreatesHasTheExpectedKeys() throws Exception {
    String table = Dynalite.uniqueTable("doctor");
    try (DynamoDbClient dynamo = dynalite.client()) {
      StateTable.ensureExists(dynamo, table, Duration.ofSeconds(30));
    }

    List<Check> checks = run(table);

    assertEquals(Status.PASS, checks.get(0).status(), checks.get(0).detail());
    assertEquals(table + " is ACTIVE with keys pk/sk and index by_trace_id", checks.get(0).detail());
    // dynalite answers DescribeTimeToLive with DISABLED: it keeps no TTL.
    assertEquals(Status.FAIL, checks.get(1).status());
    assertTrue(checks.get(1).fix().orElseThrow().contains("AttributeName=expires_at"));
  }

  @Test
  void aTableWithOtherKeysFails() {
    String table = Dynalite.uniqueTable("doctor-wrong");
    try (DynamoDbClient dynamo = dynalite.client()) {
      dynamo.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(definition -> definition.attributeName("id").attributeType(ScalarAttributeType.S))
          .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH)));
    }

    Check keys = run(table).get(0);

    assertEquals(Status.FAIL, keys.status());
    assertTrue(keys.detail().contains("its key is id (HASH), not pk (partition) and sk (sort)"), keys.detail());
    assertTrue(keys.detail().contains("no index by_trace_id"), keys.detail());
  }

  @Test
  void aMissingTableFailsAndSkipsTtl() {
    List<Check> checks = run(Dynalite.uniqueTable("doctor-missing"));

    assertEquals(Status.FAIL, checks.get(0).status());
    assertTrue(checks.get(0).detail().startsWith("there is no table"), checks.get(0).detail());
    assertEquals(Status.SKIP, checks.get(1).status());
  }

  @Test
  void withoutATableNameBothChecksAreSkipped() {
    List<Check> checks = new TableChecks(Optional.empty(), () -> {
      throw new AssertionError("no client is built without a table");
    }).run();

    assertEquals(List.of(Status.SKIP, Status.SKIP), checks.stream().map(Check::status).toList());
  }

  @Test
  void ttlOnExpiresAtPasses() {
    Check ttl = TableChecks.ttl(new TtlOnly(TimeToLiveStatus.ENABLED, "expires_at"), "state");

    assertEquals(Status.PASS, ttl.status());
  }

  @Test
  void ttlOnAnotherAttributeFails() {
    Check ttl = TableChecks.ttl(new TtlOnly(TimeToLiveStatus.ENABLED, "ttl"), "state");

    assertEquals(Status.FAIL, ttl.status());
    assertEquals("state expires items by ttl, but the bot writes expires_at", ttl.detail());
  }

  @Test
  void anEndpointWithoutTtlSupportIsSkipped() {
    DynamoDbClient noTtl = new TtlOnly(null, null) {
      @Override
      public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
        throw (DynamoDbException) DynamoDbException.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("UnknownOperationException").build()).statusCode(400).build();
      }
    };

    assertEquals(Status.SKIP, TableChecks.ttl(noTtl, "state").status());
  }

  /** A DynamoDB that answers DescribeTimeToLive only; every other operation is the interface's "unsupported". */
  private static class TtlOnly implements DynamoDbClient {
    private final TimeToLiveStatus status;
    private final String attribute;

    TtlOnly(TimeToLiveStatus status, String attribute) {
      this.status = status;
      this.attribute = attribute;
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
      return DescribeTimeToLiveResponse.builder()
          .timeToLiveDescription(description -> description.timeToLiveStatus(status).attributeName(attribute)).build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }
}
