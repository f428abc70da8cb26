package dev.valine.orchestrator.deferral;

import dev.valine.orchestrator.command.JobLaunchException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@link AsyncInvoker} on the AWS SDK's Lambda client with the JDK's URLConnection HTTP client, the
 * lightest the SDK offers (no Netty, no Apache client; cost measured in docs/benchmarks.md). Build one
 * per container: the client keeps its connection pool and credentials.
 */
public final class SdkAsyncInvoker implements AsyncInvoker {
  // The inline half has what is left of Discord's 3 s; an invoke that cannot be queued by then has failed.
  static final Duration API_CALL_TIMEOUT = Duration.ofMillis(800);

  private final LambdaClient client;

  public SdkAsyncInvoker(LambdaClient client) {
    this.client = client;
  }

  /**
   * The client for the Lambda runtime, from its environment: {@code AWS_REGION}; the credentials the
   * runtime puts in {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, or,
   * where it does not (SnapStart), its container credentials endpoint; and the standard endpoint
   * override {@code AWS_ENDPOINT_URL_LAMBDA} (or {@code AWS_ENDPOINT_URL}) for local and test endpoints.
   */
  public static SdkAsyncInvoker fromEnvironment(Map<String, String> env) {
    LambdaClientBuilder builder = LambdaClient.builder()
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofMillis(500))
            .socketTimeout(Duration.ofMillis(700))
            .build())
        .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
        .credentialsProvider(credentials(env))
        .overrideConfiguration(override -> override.apiCallTimeout(API_CALL_TIMEOUT));
    Optional.ofNullable(env.get("AWS_ENDPOINT_URL_LAMBDA")).or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL")))
        .map(URI::create)
        .ifPresent(builder::endpointOverride);
    return new SdkAsyncInvoker(builder.build());
  }

  private static AwsCredentialsProvider credentials(Map<String, String> env) {
    String keyId = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (keyId == null || secret == null) {
      return ContainerCredentialsProvider.create();
    }
    String session = env.get("AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(session == null
        ? AwsBasicCredentials.create(keyId, secret)
        : AwsSessionCredentials.create(keyId, secret, session));
  }

  @Override
  public void invokeAsync(String functionName, Optional<String> qualifier, byte[] payload) throws JobLaunchException {
    InvokeRequest.Builder request = InvokeRequest.builder()
        .functionName(functionName)
        .invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromByteArrayUnsafe(payload));
    qualifier.ifPresent(request::qualifier);
    InvokeResponse response;
    try {
      response = client.invoke(request.build());
    } catch (SdkException e) {
      throw new JobLaunchException("asynchronous invocation of " + functionName + " failed: " + e.getMessage(), e);
    }
    if (response.statusCode() == null || response.statusCode() != 202) {
      throw new JobLaunchException("asynchronous invocation of " + functionName + " answered " + response.statusCode()
          + " instead of 202 Accepted");
    }
  }
}
