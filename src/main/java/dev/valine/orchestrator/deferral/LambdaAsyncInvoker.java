package dev.valine.orchestrator.deferral;

import dev.valine.orchestrator.aws.AwsApi;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.AwsException;
import dev.valine.orchestrator.command.JobLaunchException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AsyncInvoker} that calls Lambda's {@code Invoke} API directly ({@code POST
 * /2015-03-31/functions/{name}/invocations}, {@code X-Amz-Invocation-Type: Event}) through {@link AwsApi}:
 * the SDK's SigV4 signer and credentials, the JDK's HTTP client.
 *
 * <p>Why not the SDK's generated {@code LambdaClient}: it is 3.4 MB of model for ~80 operations of which
 * we call one, and the bytecode verifier loads every request class of it when the client is first used.
 * Cold, building it and the first invoke took 0.42 s + 0.22 s (docs/benchmarks.md). Invoke with {@code
 * Event} is a stable, documented REST call with no response body to model.
 */
public final class LambdaAsyncInvoker implements AsyncInvoker {
  // The inline half defers at 2 s and must answer by ~2.8 s: an invoke not queued in 600 ms has failed
  // (a warm one takes ~3 ms, the first ~0.13 s; docs/benchmarks.md).
  static final AwsApi.Limits LIMITS = new AwsApi.Limits(Duration.ofMillis(600), Duration.ofMillis(500), 2);

  private final AwsApi lambda;

  public LambdaAsyncInvoker(AwsApi lambda) {
    this.lambda = lambda;
  }

  /** For the Lambda runtime: its region and credentials, and {@code AWS_ENDPOINT_URL_LAMBDA} if set. */
  public static LambdaAsyncInvoker fromEnvironment(AwsEnvironment aws) {
    return new LambdaAsyncInvoker(AwsApi.fromEnvironment(aws, "lambda", LIMITS));
  }

  @Override
  public void invokeAsync(String functionName, Optional<String> qualifier, byte[] payload) throws JobLaunchException {
    AwsApi.Response response;
    try {
      response = lambda.post("/2015-03-31/functions/" + URLEncoder.encode(functionName, StandardCharsets.UTF_8) + "/invocations",
          qualifier.map(q -> Map.of("Qualifier", q)).orElse(Map.of()),
          Map.of("X-Amz-Invocation-Type", "Event", "Content-Type", "application/json"),
          payload);
    } catch (AwsException e) {
      throw new JobLaunchException("asynchronous invocation of " + functionName + " failed: " + e.getMessage(), e);
    }
    if (response.status() != 202) {
      // A synchronous answer: whatever ran, it was not queued as the job we meant to hand off.
      throw new JobLaunchException("asynchronous invocation of " + functionName + " answered HTTP " + response.status()
          + " instead of 202 Accepted");
    }
  }
}
