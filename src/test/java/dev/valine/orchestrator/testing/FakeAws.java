package dev.valine.orchestrator.testing;

import java.util.Map;
import mockwebserver3.MockWebServer;

/** The environment the Lambda runtime gives a function, with obviously fake credentials and AWS on loopback. */
public final class FakeAws {
  private FakeAws() {}

  public static Map<String, String> lambdaEnvironment(MockWebServer lambdaApi) {
    return Map.of(
        "AWS_LAMBDA_FUNCTION_NAME", "valine-orchestrator-dev",
        "AWS_LAMBDA_FUNCTION_VERSION", "7",
        "AWS_REGION", "eu-west-1",
        "AWS_ACCESS_KEY_ID", "AKIA" + "FAKE".repeat(4),
        "AWS_SECRET_ACCESS_KEY", "fake-secret-" + "x".repeat(28),
        "AWS_SESSION_TOKEN", "fake-session-token",
        "AWS_ENDPOINT_URL_LAMBDA", lambdaApi.url("/").toString());
  }
}
