package dev.valine.orchestrator.state;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.SdkCredentials;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The DynamoDB client: the SDK's generated client on the JDK's URLConnection HTTP client (no Netty, no
 * Apache), with tight timeouts, because it is called on the reply path (storing a trace, reading one for
 * {@code /debug-last}) and a slow DynamoDB must cost a reply little. Build it lazily, once per container.
 */
public final class DynamoClients {
  /** Whole call, retries included; past it the in-memory store answers. */
  static final Duration API_CALL_TIMEOUT = Duration.ofMillis(500);
  static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(250);

  private DynamoClients() {}

  /**
   * Builds the reply-path client when asked; wrap it in a {@code Lazy}. A class rather than a lambda on
   * purpose: linking a lambda whose type names {@code DynamoDbClient} loads the SDK, and the app wires
   * this at cold start, before any PING.
   */
  public static final class Factory implements Supplier<DynamoDbClient> {
    private final AwsEnvironment aws;

    public Factory(AwsEnvironment aws) {
      this.aws = aws;
    }

    @Override
    public DynamoDbClient get() {
      return fromEnvironment(aws);
    }
  }

  /** Region, credentials and {@code AWS_ENDPOINT_URL_DYNAMODB} from the environment; reply-path timeouts. */
  public static DynamoDbClient fromEnvironment(AwsEnvironment aws) {
    return fromEnvironment(aws, API_CALL_TIMEOUT, ATTEMPT_TIMEOUT);
  }

  /** With other timeouts: for table management in {@code serve}, which is off the reply path. */
  public static DynamoDbClient fromEnvironment(AwsEnvironment aws, Duration callTimeout, Duration attemptTimeout) {
    DynamoDbClientBuilder builder = DynamoDbClient.builder()
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(attemptTimeout)
            .socketTimeout(attemptTimeout)
            .build())
        .region(Region.of(aws.region()))
        .credentialsProvider(SdkCredentials.from(aws))
        .overrideConfiguration(override -> override
            .apiCallTimeout(callTimeout)
            .apiCallAttemptTimeout(attemptTimeout)
            .retryStrategy(RetryMode.STANDARD));
    aws.endpointOverride("dynamodb").ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
