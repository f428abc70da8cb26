package dev.valine.orchestrator.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeAws;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/** The clients as the bot configures them, against a loopback server: which failures are retried, and how often. */
class AwsClientsTest {
  private static final CallLimits GENEROUS = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);
  private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.builder().s("user#1").build());

  private final MockWebServer service = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    service.start();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private DynamoDbClient dynamoDb() {
    return AwsClients.dynamoDb(new AwsEnvironment(FakeAws.environment("DYNAMODB", service.url("/").toString())), GENEROUS);
  }

  private static MockResponse dynamoDbError(int status, String type, String message) {
    return new MockResponse.Builder().code(status)
        .body("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}").build();
  }

  @Test
  void retriesServerErrorsAndThrottlingWithinTheCall() {
    service.enqueue(dynamoDbError(500, "InternalServerError", "try again"));
    service.enqueue(dynamoDbError(400, "ProvisionedThroughputExceededException", "slow down"));
    service.enqueue(new MockResponse.Builder().code(200).body("{\"Item\":{\"pk\":{\"S\":\"user#1\"}}}").build());

    try (DynamoDbClient dynamo = dynamoDb()) {
      assertEquals("user#1", dynamo.getItem(get -> get.tableName("state").key(KEY)).item().get("pk").s());
    }
    assertEquals(3, service.getRequestCount());
  }

  @Test
  void doesNotRetryARequestTheServiceRefused() {
    service.enqueue(dynamoDbError(400, "ValidationException", "One or more parameter values were invalid"));

    DynamoDbException error;
    try (DynamoDbClient dynamo = dynamoDb()) {
      error = assertThrows(DynamoDbException.class, () -> dynamo.getItem(get -> get.tableName("state").key(KEY)));
    }

    assertEquals("ValidationException", error.awsErrorDetails().errorCode());
    assertEquals("One or more parameter values were invalid", error.awsErrorDetails().errorMessage());
    assertEquals(1, service.getRequestCount());
  }

  @Test
  void reportsTheLastFailureWhenItsAttemptsRunOut() {
    for (int i = 0; i < GENEROUS.attempts() + 1; i++) {
      service.enqueue(new MockResponse.Builder().code(503).addHeader("x-amzn-ErrorType", "ServiceException")
          .body("{\"Message\":\"Lambda is unavailable\"}").build());
    }

    LambdaException error;
    try (LambdaClient lambda = AwsClients.lambda(new AwsEnvironment(FakeAws.lambdaEnvironment(service)), GENEROUS)) {
      error = assertThrows(LambdaException.class, () -> lambda.invoke(invoke -> invoke.functionName("f")));
    }

    assertEquals(503, error.statusCode());
    assertEquals("ServiceException", error.awsErrorDetails().errorCode());
    assertEquals(GENEROUS.attempts(), service.getRequestCount());
  }

  @Test
  void reportsAnUnreachableServiceAsAClientError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    SdkClientException error;
    try (DynamoDbClient dynamo = AwsClients.dynamoDb(new AwsEnvironment(FakeAws.environment("DYNAMODB", "http://127.0.0.1:" + closedPort)),
        new CallLimits(Duration.ofSeconds(5), Duration.ofSeconds(1), 2))) {
      error = assertThrows(SdkClientException.class, () -> dynamo.getItem(get -> get.tableName("state").key(KEY)));
    }

    assertTrue(causedBy(error, ConnectException.class), error.toString());
  }

  @Test
  void callsTheEnvironmentsRegion() {
    try (DynamoDbClient dynamo = AwsClients.dynamoDb(new AwsEnvironment(Map.of("AWS_REGION", "cn-north-1",
        "AWS_ACCESS_KEY_ID", "fake", "AWS_SECRET_ACCESS_KEY", "fake")), GENEROUS)) {
      assertEquals(Region.CN_NORTH_1, dynamo.serviceClientConfiguration().region());
    }
  }

  @Test
  void refusesLimitsWithNoAttemptThatFits() {
    assertThrows(IllegalArgumentException.class, () -> new CallLimits(Duration.ofMillis(100), Duration.ofMillis(250), 3));
    assertThrows(IllegalArgumentException.class, () -> new CallLimits(Duration.ofMillis(500), Duration.ofMillis(250), 0));
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
