package dev.valine.orchestrator.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.SigV4Check;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed calls to an AWS API on loopback: what goes on the wire, which failures are retried, and the time limit. */
class AwsApiTest {
  private static final AwsApi.Limits GENEROUS = new AwsApi.Limits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);
  private static final byte[] BODY = "{\"TableName\":\"state\"}".getBytes(StandardCharsets.UTF_8);

  private final MockWebServer service = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    service.start();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private AwsApi api(AwsApi.Limits limits) {
    return AwsApi.fromEnvironment(new AwsEnvironment(FakeAws.environment("DYNAMODB", service.url("/").toString())), "dynamodb", limits);
  }

  private static MockResponse error(int status, String type, String message) {
    return new MockResponse.Builder().code(status)
        .body("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}").build();
  }

  @Test
  void sendsExactlyWhatItSigned() throws Exception {
    service.enqueue(new MockResponse.Builder().code(200).body("{}").build());

    api(GENEROUS).post("/functions/f%3A1/invocations", Map.of("Qualifier", "$LATEST"),
        Map.of("X-Amz-Target", "DynamoDB_20120810.PutItem", "Content-Type", "application/x-amz-json-1.0"), BODY);

    RecordedRequest request = service.takeRequest(5, TimeUnit.SECONDS);
    assertEquals(SigV4Check.expected(request, FakeAws.SECRET_ACCESS_KEY), SigV4Check.received(request),
        "the signature AWS would compute from the received request");
    assertEquals(List.of("eu-west-1", "dynamodb"), SigV4Check.scope(request).subList(2, 4));
    assertTrue(SigV4Check.signedHeaders(request).containsAll(List.of("host", "x-amz-date", "x-amz-target", "x-amz-security-token")),
        SigV4Check.signedHeaders(request).toString());
    assertEquals("/functions/f%3A1/invocations", request.getUrl().encodedPath());
    assertEquals("$LATEST", request.getUrl().queryParameter("Qualifier"), "encoded once");
    assertArrayEquals(BODY, request.getBody().toByteArray());
  }

  @Test
  void retriesServerErrorsAndThrottlingWithinTheCall() {
    service.enqueue(error(500, "InternalServerError", "try again"));
    service.enqueue(error(400, "ProvisionedThroughputExceededException", "slow down"));
    service.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());

    AwsApi.Response response = api(GENEROUS).post("/", Map.of(), Map.of(), BODY);

    assertEquals(200, response.status());
    assertEquals("{\"ok\":true}", new String(response.body(), StandardCharsets.UTF_8));
    assertEquals(3, service.getRequestCount());
  }

  @Test
  void doesNotRetryARequestTheServiceRefused() {
    service.enqueue(error(400, "ValidationException", "One or more parameter values were invalid"));

    AwsException error = assertThrows(AwsException.class, () -> api(GENEROUS).post("/", Map.of(), Map.of(), BODY));

    assertTrue(error.is("ValidationException"), error.getMessage());
    assertEquals(400, error.status());
    assertEquals("dynamodb answered HTTP 400 ValidationException: One or more parameter values were invalid", error.getMessage());
    assertEquals(1, service.getRequestCount());
  }

  @Test
  void reportsTheLastFailureWhenAttemptsRunOut() {
    for (int i = 0; i < 3; i++) {
      service.enqueue(new MockResponse.Builder().code(429).addHeader("x-amzn-ErrorType",
          "TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/")
          .body("{\"Message\":\"Rate exceeded\"}").build());
    }

    AwsException error = assertThrows(AwsException.class, () -> api(GENEROUS).post("/", Map.of(), Map.of(), BODY));

    assertTrue(error.is("TooManyRequestsException"), "the error type from the header, without its URL: " + error.getMessage());
    assertTrue(error.getMessage().endsWith("Rate exceeded"), error.getMessage());
    assertEquals(3, service.getRequestCount());
  }

  @Test
  void givesUpOnAHangingServiceWithinTheCallTime() {
    for (int i = 0; i < 3; i++) {
      service.enqueue(new MockResponse.Builder().headersDelay(10, TimeUnit.SECONDS).body("{}").build());
    }
    AwsApi.Limits limits = new AwsApi.Limits(Duration.ofMillis(500), Duration.ofMillis(250), 3);
    long started = System.nanoTime();

    AwsException error = assertThrows(AwsException.class, () -> api(limits).post("/", Map.of(), Map.of(), BODY));

    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(0, error.status(), "no answer");
    assertTrue(error.getMessage().contains("SocketTimeoutException"), error.getMessage());
    // The limit is 500 ms; the margin is for a busy CI machine, not a performance claim.
    assertTrue(tookMillis < 2_000, "gave up after " + tookMillis + " ms against a 10 s hang");
  }

  @Test
  void reportsAnUnreachableServiceAsNoAnswer() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    AwsApi api = AwsApi.fromEnvironment(new AwsEnvironment(FakeAws.environment("DYNAMODB", "http://127.0.0.1:" + closedPort)),
        "dynamodb", new AwsApi.Limits(Duration.ofSeconds(2), Duration.ofMillis(500), 2));

    AwsException error = assertThrows(AwsException.class, () -> api.post("/", Map.of(), Map.of(), BODY));

    assertEquals(0, error.status());
    assertTrue(error.getMessage().contains("ConnectException"), error.getMessage());
  }

  @Test
  void namesErrorTypesWithoutNamespaceOrUrl() {
    assertEquals("ConditionalCheckFailedException", AwsApi.bareErrorType("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"));
    assertEquals("ResourceNotFoundException", AwsApi.bareErrorType("ResourceNotFoundException:http://internal.amazon.com/coral/"));
    assertEquals("AccessDeniedException", AwsApi.bareErrorType("AccessDeniedException"));
  }

  @Test
  void callsTheRegionsOwnEndpointUnlessOverridden() {
    AwsApi api = AwsApi.fromEnvironment(new AwsEnvironment(Map.of("AWS_REGION", "cn-north-1")), "dynamodb", GENEROUS);

    assertEquals("https://dynamodb.cn-north-1.amazonaws.com.cn", api.endpoint().toString());
  }

  @Test
  void refusesLimitsWithNoAttemptThatFits() {
    assertThrows(IllegalArgumentException.class, () -> new AwsApi.Limits(Duration.ofMillis(100), Duration.ofMillis(250), 3));
    assertThrows(IllegalArgumentException.class, () -> new AwsApi.Limits(Duration.ofMillis(500), Duration.ofMillis(250), 0));
  }
}
