package dev.valine.orchestrator.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The credentials an {@link AwsEnvironment} calls for.
 *
 * <p>Keys in it ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, with {@code
 * AWS_SESSION_TOKEN} if set) are used as they are. For the process environment that is the same choice
 * the SDK's default chain makes at its environment-variables step; for a test's or priming's map it
 * means their fake keys are used and nothing falls through to this machine's profiles or to instance
 * metadata.
 *
 * <p>Without keys, the SDK's default chain: web identity, the profile named by {@code AWS_PROFILE}
 * (static keys, or IAM Identity Center after {@code aws sso login}), the container credentials endpoint
 * (Lambda SnapStart, which sets no keys), then EC2 instance metadata. Web identity and profiles that
 * assume a role use the SDK's {@code sts} module, which the jar carries. See
 * https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/credentials-chain.html
 */
public final class SdkCredentials {
  private SdkCredentials() {}

  public static AwsCredentialsProvider from(AwsEnvironment aws) {
    String keyId = aws.get("AWS_ACCESS_KEY_ID").orElse(null);
    String secret = aws.get("AWS_SECRET_ACCESS_KEY").orElse(null);
    if (keyId == null || secret == null) {
      DefaultCredentialsProvider.Builder chain = DefaultCredentialsProvider.builder();
      aws.get("AWS_PROFILE").ifPresent(chain::profileName);
      return chain.build();
    }
    AwsCredentials keys = aws.get("AWS_SESSION_TOKEN")
        .<AwsCredentials>map(session -> AwsSessionCredentials.create(keyId, secret, session))
        .orElseGet(() -> AwsBasicCredentials.create(keyId, secret));
    return StaticCredentialsProvider.create(keys);
  }
}
