package dev.valine.orchestrator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.aws.AwsApi;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.AwsException;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * DynamoDB's JSON API (target prefix {@code DynamoDB_20120810}), called with request and answer as JSON
 * trees in DynamoDB's own wire format ({@code {"pk": {"S": "user#1"}}}). The bot uses five operations
 * (PutItem, UpdateItem, GetItem, Query, and for {@code serve} CreateTable/DescribeTable/UpdateTimeToLive);
 * the SDK's generated client is 2.6 MB of model for ~60 and took ~0.7 s to its first write cold, this
 * one ~0.27 s (docs/benchmarks.md).
 *
 * <p>Tight limits by default, because it is called on the reply path (storing a trace, reading one for
 * {@code /debug-last}) and a slow DynamoDB must cost a reply little: past {@link #REPLY_PATH}'s call time,
 * the caller's in-memory store answers. Errors are {@link AwsException}s carrying DynamoDB's error code.
 */
public final class DynamoDb {
  /** 500 ms per call, retries included; 250 ms per attempt; 3 attempts at most. */
  public static final AwsApi.Limits REPLY_PATH = new AwsApi.Limits(Duration.ofMillis(500), Duration.ofMillis(250), 3);
  /** For table management in {@code serve}, which is off the reply path. */
  public static final AwsApi.Limits ADMIN = new AwsApi.Limits(Duration.ofSeconds(10), Duration.ofSeconds(3), 3);

  static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException";
  static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";

  private final AwsApi api;

  public DynamoDb(AwsApi api) {
    this.api = api;
  }

  /** Region, credentials and {@code AWS_ENDPOINT_URL_DYNAMODB} from the environment. */
  public static DynamoDb fromEnvironment(AwsEnvironment aws, AwsApi.Limits limits) {
    return new DynamoDb(AwsApi.fromEnvironment(aws, "dynamodb", limits));
  }

  /**
   * One operation.
   *
   * @param operation as in the API reference: {@code PutItem}, {@code Query}, …
   * @return the answer's JSON object ({@code {}} for operations that return nothing)
   * @throws AwsException with DynamoDB's error code, such as {@value #CONDITIONAL_CHECK_FAILED}
   */
  public JsonNode call(String operation, ObjectNode request) {
    AwsApi.Response response = api.post("/", Map.of(),
        Map.of("X-Amz-Target", "DynamoDB_20120810." + operation, "Content-Type", "application/x-amz-json-1.0"),
        Jackson.bytes(request));
    checkCrc32(operation, response);
    try {
      return response.body().length == 0 ? Jackson.object() : Jackson.parse(response.body());
    } catch (IOException e) {
      throw new AwsException("DynamoDB answered " + operation + " with something that is not JSON", response.status(), null, e);
    }
  }

  /** DynamoDB signs each answer's body with a CRC32, which the SDK checks as well: a mangled answer is not used. */
  private static void checkCrc32(String operation, AwsApi.Response response) {
    String expected = response.header("x-amz-crc32").orElse(null);
    if (expected == null) {
      return;
    }
    CRC32 crc = new CRC32();
    crc.update(response.body());
    if (!expected.equals(Long.toString(crc.getValue()))) {
      throw new AwsException("DynamoDB's answer to " + operation + " failed its CRC32 check (x-amz-crc32 " + expected
          + ", body " + crc.getValue() + ")", response.status(), null, null);
    }
  }

  /** A string attribute value: {@code {"S": value}}. */
  static ObjectNode s(String value) {
    ObjectNode attribute = Jackson.object();
    attribute.put("S", value);
    return attribute;
  }

  /** A number attribute value: {@code {"N": "value"}}. */
  static ObjectNode n(long value) {
    ObjectNode attribute = Jackson.object();
    attribute.put("N", Long.toString(value));
    return attribute;
  }
}
