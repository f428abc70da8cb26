package dev.valine.orchestrator.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signed POSTs to one AWS service in one region: the AWS SDK's SigV4 signer and credentials providers,
 * the JDK's {@link HttpURLConnection} underneath, and a whole-call deadline that retries throttling, 5xx
 * and I/O failures inside it. What the bot calls (Lambda's {@code Invoke}, five DynamoDB operations) are
 * stable, documented JSON APIs; the SDK's generated clients for them are 2.6–3.4 MB of model each, and
 * their first use costs more than half a second cold (docs/benchmarks.md, "Jar size").
 *
 * <p>Errors follow the conventions Lambda and DynamoDB share: the error code in the {@code
 * x-amzn-ErrorType} header or the body's {@code __type} (namespace before {@code #} dropped), the text in
 * {@code message} or {@code Message}.
 */
public final class AwsApi {
  // Throttling that DynamoDB answers with HTTP 400, and Lambda's with 429; the SDK retries the same codes.
  private static final Set<String> THROTTLING = Set.of("ThrottlingException", "Throttling", "ThrottledException",
      "ProvisionedThroughputExceededException", "RequestLimitExceeded", "TooManyRequestsException",
      "RequestThrottledException", "TransactionInProgressException");
  private static final long BACKOFF_BASE_MILLIS = 25;
  private static final long MIN_ATTEMPT_MILLIS = 50;

  private final String service;
  private final String region;
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final Limits limits;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * How long one call may take in all, each attempt at most, and how many attempts it makes.
   *
   * @param call the whole call, retries and their back-off included
   */
  public record Limits(Duration call, Duration attempt, int attempts) {
    public Limits {
      if (attempts < 1 || attempt.isNegative() || attempt.isZero() || call.compareTo(attempt) < 0) {
        throw new IllegalArgumentException("need at least one attempt that fits the call: " + this);
      }
    }
  }

  /** A service's answer: 2xx, or anything else for the caller to decide (see {@link #post}). */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    /** A header by case-insensitive name. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * @param service the signing name ({@code lambda}, {@code dynamodb})
   * @param endpoint scheme, host, port and an optional base path
   */
  public AwsApi(String service, String region, URI endpoint, AwsCredentialsProvider credentials, Limits limits) {
    this.service = service;
    this.region = region;
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.limits = limits;
  }

  /** The service in the environment's region, at {@code AWS_ENDPOINT_URL_<SERVICE>} if set, else AWS's own endpoint. */
  public static AwsApi fromEnvironment(AwsEnvironment aws, String service, Limits limits) {
    String region = aws.region();
    URI endpoint = aws.endpointOverride(service).orElseGet(() -> URI.create("https://" + service + "." + region + "."
        + (region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com")));
    return new AwsApi(service, region, endpoint, SdkCredentials.from(aws), limits);
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Sends one request, retrying while the call's time and attempts last.
   *
   * @param rawPath already percent-encoded, appended to the endpoint's path
   * @param query query parameters, not encoded (the signer encodes them as SigV4 requires)
   * @return the first 2xx answer
   * @throws AwsException with the service's error code and message for a non-2xx answer that a retry
   *     would not change, or for the last failure when time or attempts ran out
   */
  public Response post(String rawPath, Map<String, String> query, Map<String, String> headers, byte[] body) {
    long deadline = System.nanoTime() + limits.call().toNanos();
    AwsException last = null;
    for (int attempt = 1; attempt <= limits.attempts(); attempt++) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (attempt > 1) {
        long backoff = ThreadLocalRandom.current().nextLong(BACKOFF_BASE_MILLIS << (attempt - 1));
        if (left - backoff < MIN_ATTEMPT_MILLIS) {
          break;
        }
        sleep(backoff);
        left -= backoff;
      }
      try {
        // Never 0: HttpURLConnection reads a zero timeout as "wait forever".
        int timeout = (int) Math.max(1, Math.min(limits.attempt().toMillis(), left));
        Response response = send(rawPath, query, headers, body, timeout);
        if (response.status() / 100 == 2) {
          return response;
        }
        last = failure(response);
        if (!retryable(last)) {
          throw last;
        }
      } catch (IOException e) {
        last = new AwsException(service + " call failed: " + e, 0, null, e);
      }
    }
    throw last != null ? last : new AwsException(service + " call ran out of its " + limits.call().toMillis() + " ms", 0, null, null);
  }

  private Response send(String rawPath, Map<String, String> query, Map<String, String> headers, byte[] body, int timeoutMillis)
      throws IOException {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .encodedPath(endpoint.getRawPath().replaceAll("/$", "") + rawPath);
    // "Raw" in the SDK's name means not yet encoded.
    query.forEach(request::putRawQueryParameter);
    headers.forEach(request::putHeader);
    // Under X-Ray the call joins this invocation's trace, as the SDK's own clients do in Lambda.
    Optional.ofNullable(System.getProperty("com.amazonaws.xray.traceHeader")).filter(h -> !h.isBlank())
        .ifPresent(header -> request.putHeader("X-Amzn-Trace-Id", header));
    SignedRequest signed;
    try {
      signed = signer.sign(sign -> sign
          .identity(credentials.resolveCredentials())
          .request(request.build())
          .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
          .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    } catch (RuntimeException e) {
      throw new AwsException(service + " call not sent: no AWS credentials (" + e.getMessage() + ")", 0, null, e);
    }
    HttpURLConnection connection = (HttpURLConnection) signed.request().getUri().toURL().openConnection();
    try {
      connection.setRequestMethod("POST");
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setUseCaches(false);
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      signed.request().headers().forEach((name, values) -> {
        // The JDK writes Host and Content-Length itself, with the values that were signed.
        if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
          connection.setRequestProperty(name, String.join(",", values));
        }
      });
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      Map<String, String> received = new TreeMap<>();
      connection.getHeaderFields().forEach((name, values) -> {
        if (name != null && !values.isEmpty()) {
          received.put(name.toLowerCase(Locale.ROOT), values.get(0));
        }
      });
      byte[] answer;
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        answer = in == null ? new byte[0] : in.readAllBytes();
      }
      return new Response(status, received, answer);
    } catch (IOException e) {
      // A timed-out connection may still deliver the old answer later: never reuse it.
      connection.disconnect();
      throw e;
    }
  }

  private AwsException failure(Response response) {
    JsonNode error = null;
    try {
      error = response.body().length == 0 ? null : Jackson.parse(response.body());
    } catch (IOException notJson) {
      // A proxy's HTML page, say: the status alone tells what happened.
    }
    JsonNode fields = error;
    String type = response.header("x-amzn-ErrorType")
        .or(() -> Optional.ofNullable(fields).flatMap(e -> Jackson.text(e, "__type")))
        .map(AwsApi::bareErrorType)
        .orElse("");
    String message = Optional.ofNullable(fields).flatMap(e -> Jackson.text(e, "message").or(() -> Jackson.text(e, "Message")))
        .orElse("no message");
    return new AwsException(service + " answered HTTP " + response.status() + (type.isEmpty() ? "" : " " + type) + ": " + message,
        response.status(), type, null);
  }

  /** {@code com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException} and {@code X:http://…} to {@code X}. */
  static String bareErrorType(String raw) {
    int colon = raw.indexOf(':');
    String type = colon < 0 ? raw : raw.substring(0, colon);
    return type.substring(type.indexOf('#') + 1);
  }

  private static boolean retryable(AwsException failure) {
    return failure.status() == 429 || failure.status() >= 500 || failure.errorType().filter(THROTTLING::contains).isPresent();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsException("interrupted while backing off", 0, null, e);
    }
  }
}
