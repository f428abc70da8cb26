package dev.valine.orchestrator.deferral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.SdkCredentials;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * {@link AsyncInvoker} on the AWS SDK's own parts: its SigV4 signer, its credentials providers and its
 * URLConnection HTTP client, calling Lambda's {@code Invoke} API ({@code POST
 * /2015-03-31/functions/{name}/invocations}, {@code X-Amz-Invocation-Type: Event}) directly.
 *
 * <p>Why not the SDK's generated {@code LambdaClient}: it is 3.4 MB of model for ~80 operations of which
 * we call one, and the bytecode verifier loads every request class of it when the client is first used.
 * Cold, building it and the first invoke took 0.42 s + 0.22 s against this class's 0.26 s + 0.11 s
 * (docs/benchmarks.md). Invoke with {@code Event} is a stable, documented REST call with no response body
 * to model.
 */
public final class SdkAsyncInvoker implements AsyncInvoker {
  // The inline half defers at 2 s and must answer by ~2.8 s: an invoke not queued in 600 ms has failed
  // (a warm one takes ~4 ms, the first ~0.11 s; docs/benchmarks.md).
  static final Duration API_CALL_TIMEOUT = Duration.ofMillis(600);
  private static final int MAX_ATTEMPTS = 2;

  private final SdkHttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final URI endpoint;

  public SdkAsyncInvoker(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
    this.http = http;
    this.credentials = credentials;
    this.region = region;
    this.endpoint = endpoint;
  }

  /** For the Lambda runtime: its region and credentials, and {@code AWS_ENDPOINT_URL_LAMBDA} if set. */
  public static SdkAsyncInvoker fromEnvironment(AwsEnvironment aws) {
    Region region = Region.of(aws.region());
    return new SdkAsyncInvoker(
        UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofMillis(300)).socketTimeout(Duration.ofMillis(500)).build(),
        SdkCredentials.from(aws), region,
        aws.endpointOverride("lambda").orElseGet(() -> URI.create("https://lambda." + region.id() + "." + dnsSuffix(region))));
  }

  private static String dnsSuffix(Region region) {
    return region.id().startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  }

  @Override
  public void invokeAsync(String functionName, Optional<String> qualifier, byte[] payload) throws JobLaunchException {
    long deadline = System.nanoTime() + API_CALL_TIMEOUT.toNanos();
    JobLaunchException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS && System.nanoTime() < deadline; attempt++) {
      try {
        send(functionName, qualifier, payload);
        return;
      } catch (RetryableFailure e) {
        last = e.failure;
      }
    }
    throw last != null ? last : new JobLaunchException("asynchronous invocation of " + functionName + " ran out of its "
        + API_CALL_TIMEOUT.toMillis() + " ms");
  }

  /** Thrown for throttling, 5xx and I/O failures, which a second attempt may get past. */
  private static final class RetryableFailure extends Exception {
    private final transient JobLaunchException failure;

    RetryableFailure(JobLaunchException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  /** One attempt; returns when Lambda answered 202 Accepted. */
  private void send(String functionName, Optional<String> qualifier, byte[] payload) throws JobLaunchException, RetryableFailure {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .encodedPath(endpoint.getRawPath().replaceAll("/$", "") + "/2015-03-31/functions/"
            + URLEncoder.encode(functionName, StandardCharsets.UTF_8) + "/invocations")
        .putHeader("X-Amz-Invocation-Type", "Event")
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Length", Integer.toString(payload.length));
    qualifier.ifPresent(q -> request.putRawQueryParameter("Qualifier", q));
    // Under X-Ray the invocation joins this trace, as the SDK's own clients do in Lambda.
    Optional.ofNullable(System.getProperty("com.amazonaws.xray.traceHeader")).filter(h -> !h.isBlank())
        .ifPresent(header -> request.putHeader("X-Amzn-Trace-Id", header));
    ContentStreamProvider body = ContentStreamProvider.fromByteArrayUnsafe(payload);
    SignedRequest signed;
    try {
      signed = signer.sign(sign -> sign
          .identity(credentials.resolveCredentials())
          .request(request.build())
          .payload(body)
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
          .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    } catch (RuntimeException e) {
      throw new JobLaunchException("asynchronous invocation of " + functionName + " failed: no AWS credentials ("
          + e.getMessage() + ")", e);
    }
    try {
      HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
          .request(signed.request()).contentStreamProvider(signed.payload().orElse(body)).build()).call();
      int status = response.httpResponse().statusCode();
      if (status == 202) {
        drain(response);
        return;
      }
      if (status >= 200 && status < 300) {
        // A synchronous answer: whatever ran, it was not queued as the job we meant to hand off.
        drain(response);
        throw new JobLaunchException("asynchronous invocation of " + functionName + " answered HTTP " + status
            + " instead of 202 Accepted");
      }
      String errorType = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").map(t -> t.split(":")[0]).orElse("");
      JobLaunchException failure = new JobLaunchException("asynchronous invocation of " + functionName + " failed: "
          + errorMessage(response).orElse("HTTP " + status) + " (HTTP " + status + (errorType.isEmpty() ? "" : " " + errorType) + ")");
      if (status == 429 || status >= 500) {
        throw new RetryableFailure(failure);
      }
      throw failure;
    } catch (IOException e) {
      throw new RetryableFailure(new JobLaunchException("asynchronous invocation of " + functionName + " failed: "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e));
    }
  }

  /** Lambda's JSON error body names the problem as {@code message} or {@code Message}. */
  private static Optional<String> errorMessage(HttpExecuteResponse response) {
    try (InputStream body = response.responseBody().orElse(null)) {
      if (body == null) {
        return Optional.empty();
      }
      JsonNode error = Json.parse(body.readAllBytes());
      return Json.text(error, "message").or(() -> Json.text(error, "Message"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void drain(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isPresent()) {
      try (InputStream body = response.responseBody().get()) {
        body.readAllBytes();
      }
    }
  }
}
