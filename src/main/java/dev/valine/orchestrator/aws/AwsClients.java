package dev.valine.orchestrator.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SDK's generated clients as the bot builds them: on the JDK's URLConnection (no Netty, no Apache
 * client), in the environment's region, with its credentials ({@link SdkCredentials}) and endpoint
 * override, and with explicit {@link CallLimits}, so that no call can outlast what its caller can
 * afford. Retries follow the SDK's standard strategy (throttling, 5xx, I/O errors and attempt timeouts
 * are retried with jittered back-off), cut to the limits' attempts, inside the call timeout.
 *
 * <p>One change to it: throttling backs off as briefly as other failures. The standard throttling
 * back-off starts at a second, which no sub-second call can wait out; a throttled call would end in the
 * call timeout, and its error would no longer say that it was throttled.
 *
 * <p>Each client is built once per container and kept; building one costs far more than a call.
 */
public final class AwsClients {
  // Where neither the environment nor the profile names a region.
  private static final Region FALLBACK_REGION = Region.US_EAST_1;
  // The standard strategy's first back-off for failures other than throttling; it doubles per retry, with full jitter.
  private static final Duration BACKOFF_BASE = Duration.ofMillis(100);

  private AwsClients() {}

  /** DynamoDB, at {@code AWS_ENDPOINT_URL_DYNAMODB} if set. */
  public static DynamoDbClient dynamoDb(AwsEnvironment aws, CallLimits limits) {
    return configured(DynamoDbClient.builder(), aws, "dynamodb", limits).build();
  }

  /** Lambda, at {@code AWS_ENDPOINT_URL_LAMBDA} if set. */
  public static LambdaClient lambda(AwsEnvironment aws, CallLimits limits) {
    return configured(LambdaClient.builder(), aws, "lambda", limits).build();
  }

  /**
   * Secrets Manager, at {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} if set (the service id "Secrets Manager":
   * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
   */
  public static SecretsManagerClient secretsManager(AwsEnvironment aws, CallLimits limits) {
    return configured(SecretsManagerClient.builder(), aws, "SECRETS_MANAGER", limits).build();
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configured(B builder, AwsEnvironment aws,
      String service, CallLimits limits) {
    // The socket timeouts only back up the attempt timeout, which the SDK enforces by aborting the request.
    builder.httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(limits.attempt())
            .socketTimeout(limits.attempt()))
        .region(region(aws))
        .credentialsProvider(SdkCredentials.from(aws))
        .overrideConfiguration(override -> override
            .apiCallTimeout(limits.call())
            .apiCallAttemptTimeout(limits.attempt())
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(limits.attempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, limits.call()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, limits.call()))
                .build()));
    aws.endpointOverride(service).ifPresent(builder::endpointOverride);
    return builder;
  }

  /**
   * The environment's region; else the one in the profile ({@code region} in {@code ~/.aws/config}), so
   * that {@code serve} after {@code aws sso login} talks to the region the AWS CLI would; else us-east-1.
   */
  static Region region(AwsEnvironment aws) {
    return aws.region().map(Region::of).orElseGet(() -> {
      try {
        return aws.get("AWS_PROFILE")
            .map(profile -> new AwsProfileRegionProvider(ProfileFile::defaultProfileFile, profile))
            .orElseGet(AwsProfileRegionProvider::new)
            .getRegion();
      } catch (SdkClientException noRegionInTheProfile) {
        return FALLBACK_REGION;
      }
    });
  }
}
