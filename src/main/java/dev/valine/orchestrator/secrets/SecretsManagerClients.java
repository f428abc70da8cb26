package dev.valine.orchestrator.secrets;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.aws.SdkCredentials;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The Secrets Manager client, built as {@code aws.AwsClients} builds DynamoDB's and Lambda's: the JDK's
 * URLConnection, the environment's region, credentials and {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, and explicit
 * call limits with the standard retry strategy (throttling backs off as briefly as other failures, so that a
 * throttled read fails as throttled within the call timeout).
 */
final class SecretsManagerClients {
  private static final Region FALLBACK_REGION = Region.US_EAST_1;
  private static final Duration BACKOFF_BASE = Duration.ofMillis(100);

  private SecretsManagerClients() {}

  static SecretsManagerClient build(AwsEnvironment aws, CallLimits limits) {
    SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(limits.attempt())
            .socketTimeout(limits.attempt()))
        .region(region(aws))
        .credentialsProvider(SdkCredentials.from(aws))
        .overrideConfiguration(override -> override
            .apiCallTimeout(limits.call())
            .apiCallAttemptTimeout(limits.attempt())
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(limits.attempts())
                .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(BACKOFF_BASE, limits.call()))
                .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(BACKOFF_BASE,
                    limits.call()))
                .build()));
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html: the service id "Secrets Manager".
    aws.endpointOverride("SECRETS_MANAGER").ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static Region region(AwsEnvironment aws) {
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
