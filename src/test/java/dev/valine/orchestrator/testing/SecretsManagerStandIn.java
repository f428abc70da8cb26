package dev.valine.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Secrets Manager on loopback, as the SDK reaches it through {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}: answers
 * {@code GetSecretValue} (JSON 1.1, {@code X-Amz-Target: secretsmanager.GetSecretValue}) with the secret as a test
 * set it, or with the error a test chose
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html). Tokens in it are built by
 * the tests at run time and obviously fake.
 */
public final class SecretsManagerStandIn implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final List<String> secretIds = new CopyOnWriteArrayList<>();
  private volatile String secretString = "{}";
  private volatile String errorCode;

  public SecretsManagerStandIn() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    server.start();
  }

  private MockResponse answer(RecordedRequest request) {
    String target = request.getHeaders().get("X-Amz-Target");
    JsonNode body;
    try {
      body = Jackson.parse(request.getBody().toByteArray());
    } catch (IOException e) {
      return error(400, "InvalidRequestException", "not JSON");
    }
    if (!"secretsmanager.GetSecretValue".equals(target)) {
      return error(400, "UnknownOperationException", "not answered by the stand-in: " + target);
    }
    String id = body.path("SecretId").asText();
    secretIds.add(id);
    String failing = errorCode;
    if (failing != null) {
      return switch (failing) {
        case "ResourceNotFoundException" -> error(400, failing, "Secrets Manager can't find the specified secret.");
        case "AccessDeniedException" -> error(400, failing, "User: arn:aws:sts::000000000000:assumed-role/test is not authorized "
            + "to perform: secretsmanager:GetSecretValue on resource: " + id);
        case "ThrottlingException" -> error(400, failing, "Rate exceeded");
        default -> error(400, failing, "failing as the test asked");
      };
    }
    ObjectNode answer = Jackson.object().put("ARN", "arn:aws:secretsmanager:eu-west-1:000000000000:secret:" + id + "-AbCdEf")
        .put("Name", id).put("VersionId", "v-" + secretIds.size()).put("SecretString", secretString);
    answer.putArray("VersionStages").add("AWSCURRENT");
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-amz-json-1.1")
        .body(Jackson.text(answer)).build();
  }

  private static MockResponse error(int status, String type, String message) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/x-amz-json-1.1")
        .body(Jackson.text(Jackson.object().put("__type", type).put("message", message))).build();
  }

  /** From now on, the secret's value: a JSON object of these keys and values. */
  public SecretsManagerStandIn holds(Map<String, String> tokens) {
    ObjectNode json = Jackson.object();
    tokens.forEach(json::put);
    this.secretString = Jackson.text(json);
    this.errorCode = null;
    return this;
  }

  /** From now on, the secret's value as this text, JSON or not. */
  public SecretsManagerStandIn holdsText(String text) {
    this.secretString = text;
    this.errorCode = null;
    return this;
  }

  /** From now on, every read fails with this AWS error code, such as {@code AccessDeniedException}. */
  public SecretsManagerStandIn failsWith(String code) {
    this.errorCode = code;
    return this;
  }

  /** The endpoint to set as {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}. */
  public String endpoint() {
    return server.url("/").toString();
  }

  /** Lambda's environment with fake keys, and Secrets Manager here. */
  public Map<String, String> awsEnvironment() {
    return FakeAws.environment("SECRETS_MANAGER", endpoint());
  }

  /** How many {@code GetSecretValue} requests it has answered. */
  public int reads() {
    return secretIds.size();
  }

  /** The {@code SecretId} of each read, in order. */
  public List<String> secretIds() {
    return List.copyOf(secretIds);
  }

  @Override
  public void close() {
    server.close();
  }
}
