package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.AlertDeduplicator.Decision;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.AwsException;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.FakeTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DynamoDB's wire protocol, and the failures dynalite cannot produce: a mangled answer, a write applied but not acknowledged. */
class DynamoDbTest {
  private final MockWebServer dynamoApi = new MockWebServer();
  private DynamoDb dynamo;

  @BeforeEach
  void start() throws Exception {
    dynamoApi.start();
    dynamo = DynamoDb.fromEnvironment(new AwsEnvironment(FakeAws.environment("DYNAMODB", dynamoApi.url("/").toString())),
        DynamoDb.REPLY_PATH);
  }

  @AfterEach
  void stop() {
    dynamoApi.close();
  }

  private static String crc32(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toString(crc.getValue());
  }

  @Test
  void callsAnOperationThroughItsTargetHeader() throws Exception {
    String answer = "{\"Item\":{\"pk\":{\"S\":\"user#1\"}}}";
    dynamoApi.enqueue(new MockResponse.Builder().code(200).addHeader("x-amz-crc32", crc32(answer)).body(answer).build());

    JsonNode item = dynamo.call("GetItem", Jackson.object().put("TableName", "state"));

    RecordedRequest request = dynamoApi.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("DynamoDB_20120810.GetItem", request.getHeaders().get("X-Amz-Target"));
    assertEquals("application/x-amz-json-1.0", request.getHeaders().get("Content-Type"));
    assertEquals("state", Jackson.parse(request.getBody().toByteArray()).path("TableName").asText());
    assertEquals("user#1", item.path("Item").path("pk").path("S").asText());
  }

  @Test
  void refusesAnAnswerThatFailsItsChecksum() {
    String answer = "{\"Item\":{\"pk\":{\"S\":\"user#1\"}}}";
    dynamoApi.enqueue(new MockResponse.Builder().code(200).addHeader("x-amz-crc32", crc32(answer + " ")).body(answer).build());

    AwsException error = assertThrows(AwsException.class, () -> dynamo.call("GetItem", Jackson.object()));

    assertTrue(error.getMessage().contains("failed its CRC32 check"), error.getMessage());
  }

  @Test
  void namesConditionalCheckFailures() {
    dynamoApi.enqueue(new MockResponse.Builder().code(400)
        .body("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}")
        .build());

    AwsException error = assertThrows(AwsException.class, () -> dynamo.call("PutItem", Jackson.object()));

    assertTrue(error.is(DynamoDb.CONDITIONAL_CHECK_FAILED), error.getMessage());
    assertEquals(1, dynamoApi.getRequestCount(), "a refused condition is an answer, not a failure to retry");
  }

  /**
   * The alert window's write reaches DynamoDB, but its answer does not arrive in time; the retry then
   * finds the window already open. It was opened by this very decision, so the alert must still be sent.
   */
  @Test
  void anAcknowledgementLostInTransitStillSendsTheAlert() {
    dynamoApi.setDispatcher(new Dispatcher() {
      private boolean applied;

      @Override
      public MockResponse dispatch(RecordedRequest request) {
        JsonNode put;
        try {
          put = Jackson.parse(request.getBody().toByteArray());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        if (!applied) {
          applied = true;
          // Written, but the answer comes after the attempt's timeout.
          return new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body("{}").build();
        }
        // DynamoDB holds the first write's item; the condition passes only through "opened_by = :me".
        String me = put.path("ExpressionAttributeValues").path(":me").path("S").asText();
        boolean mine = me.equals(put.path("Item").path(DynamoAlertDeduplicator.OPENED_BY).path("S").asText());
        assertTrue(put.path("ConditionExpression").asText().contains("#by = :me") && mine, put.toString());
        return new MockResponse.Builder().code(200).body("{\"Attributes\":{\"suppressed\":{\"N\":\"0\"},\"opened_by\":{\"S\":\"" + me + "\"}}}")
            .build();
      }
    });
    DynamoAlertDeduplicator dedup = new DynamoAlertDeduplicator(() -> dynamo, "state", Duration.ofMinutes(5),
        new FakeTime(Instant.parse("2026-11-28T06:00:00Z")));

    Decision decision = dedup.decide("critical|deploy failed|x|status");

    assertEquals(new Decision(true, 0), decision);
    assertEquals(2, dynamoApi.getRequestCount());
  }
}
