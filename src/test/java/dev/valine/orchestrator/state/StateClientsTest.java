package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.AlertDeduplicator.Decision;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The reply path's DynamoDB client, as the app builds it, against a loopback server playing DynamoDB:
 * the failures dynalite cannot produce (a mangled answer, a write applied but not acknowledged, no answer
 * at all) and what goes on the wire.
 */
@ExtendWith(WarmAwsSdk.class)
class StateClientsTest {
  private final MockWebServer dynamoApi = new MockWebServer();
  private DynamoDbClient dynamo;

  @BeforeEach
  void start() throws Exception {
    dynamoApi.start();
    dynamo = new StateClients.Factory(new AwsEnvironment(FakeAws.environment("DYNAMODB", dynamoApi.url("/").toString())),
        StateClients.REPLY_PATH).get();
  }

  @AfterEach
  void stop() {
    dynamo.close();
    dynamoApi.close();
  }

  private static String crc32(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toString(crc.getValue());
  }

  private static Map<String, AttributeValue> key() {
    return Map.of("pk", StateTable.s("user#1"), "sk", StateTable.s("trace#1"));
  }

  @Test
  void callsAnOperationAtTheEndpointOverrideSignedWithTheEnvironmentsKeys() throws Exception {
    String answer = "{\"Item\":{\"pk\":{\"S\":\"user#1\"}}}";
    dynamoApi.enqueue(new MockResponse.Builder().code(200).addHeader("x-amz-crc32", crc32(answer)).body(answer).build());

    Map<String, AttributeValue> item = dynamo.getItem(get -> get.tableName("state").key(key())).item();

    RecordedRequest request = dynamoApi.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("DynamoDB_20120810.GetItem", request.getHeaders().get("X-Amz-Target"));
    assertEquals("state", Jackson.parse(request.getBody().toByteArray()).path("TableName").asText());
    assertTrue(request.getHeaders().get("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKE"),
        request.getHeaders().get("Authorization"));
    assertTrue(request.getHeaders().get("Authorization").contains("/eu-west-1/dynamodb/aws4_request"),
        request.getHeaders().get("Authorization"));
    assertEquals("fake-session-token", request.getHeaders().get("X-Amz-Security-Token"));
    assertEquals("user#1", item.get("pk").s());
  }

  @Test
  void refusesAnAnswerThatFailsItsChecksum() {
    String answer = "{\"Item\":{\"pk\":{\"S\":\"user#1\"}}}";
    for (int i = 0; i < StateClients.REPLY_PATH.attempts(); i++) {
      dynamoApi.enqueue(new MockResponse.Builder().code(200).addHeader("x-amz-crc32", crc32(answer + " ")).body(answer).build());
    }

    SdkClientException error = assertThrows(SdkClientException.class, () -> dynamo.getItem(get -> get.tableName("state").key(key())));

    assertTrue(error instanceof Crc32MismatchException || error.getCause() instanceof Crc32MismatchException, error.toString());
  }

  @Test
  void reportsARefusedConditionWithoutRetryingIt() {
    dynamoApi.enqueue(new MockResponse.Builder().code(400)
        .body("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}")
        .build());

    assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(put -> put.tableName("state").item(key())
        .conditionExpression("attribute_not_exists(pk)")));

    assertEquals(1, dynamoApi.getRequestCount(), "a refused condition is an answer, not a failure to retry");
  }

  /** No answer at all: the call ends at the client's call timeout (the caller then falls back to memory). */
  @Test
  void givesUpAtItsCallTimeoutWhenDynamoDbNeverAnswers() {
    for (int i = 0; i < StateClients.REPLY_PATH.attempts(); i++) {
      dynamoApi.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    }

    assertThrows(ApiCallTimeoutException.class, () -> dynamo.getItem(get -> get.tableName("state").key(key())));

    assertTrue(dynamoApi.getRequestCount() <= StateClients.REPLY_PATH.attempts(), "attempts: " + dynamoApi.getRequestCount());
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
          // Written, but the answer never comes: the attempt times out and the SDK retries.
          return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
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
