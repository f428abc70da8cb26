package dev.valine.orchestrator.testing;

import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockWebServer;

/** The environment the Lambda runtime gives a function, with obviously fake credentials and AWS on loopback. */
public final class FakeAws {
  /** The fake secret key the environments below carry; tests check signatures with it. */
  public static final String SECRET_ACCESS_KEY = "fake-secret-" + "x".repeat(28);

  private FakeAws() {}

  /**
   * Region and fake keys, with one service's standard endpoint override pointing at a local server.
   *
   * @param service as in {@code AWS_ENDPOINT_URL_<SERVICE>}: {@code LAMBDA}, {@code DYNAMODB}
   */
  public static Map<String, String> environment(String service, String endpoint) {
    return Map.of(
        "AWS_REGION", "eu-west-1",
        "AWS_ACCESS_KEY_ID", "AKIA" + "FAKE".repeat(4),
        "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY,
        "AWS_SESSION_TOKEN", "fake-session-token",
        "AWS_ENDPOINT_URL_" + service, endpoint);
  }

  /** As in Lambda, with the function's own name and version, and its Invoke API on loopback. */
  public static Map<String, String> lambdaEnvironment(MockWebServer lambdaApi) {
    Map<String, String> env = new HashMap<>(environment("LAMBDA", lambdaApi.url("/").toString()));
    env.put("AWS_LAMBDA_FUNCTION_NAME", "valine-orchestrator-dev");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "7");
    return Map.copyOf(env);
  }
}
