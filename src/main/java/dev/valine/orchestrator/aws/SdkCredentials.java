package dev.valine.orchestrator.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The SDK credentials provider for an {@link AwsEnvironment}; used only when a client is built. */
public final class SdkCredentials {
  private SdkCredentials() {}

  /**
   * The keys Lambda puts in {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN};
   * where it does not (SnapStart), its container credentials endpoint, which also refreshes them.
   */
  public static AwsCredentialsProvider from(AwsEnvironment aws) {
    String keyId = aws.get("AWS_ACCESS_KEY_ID").orElse(null);
    String secret = aws.get("AWS_SECRET_ACCESS_KEY").orElse(null);
    if (keyId == null || secret == null) {
      return ContainerCredentialsProvider.create();
    }
    return StaticCredentialsProvider.create(aws.get("AWS_SESSION_TOKEN")
        .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(session -> AwsSessionCredentials.create(keyId, secret, session))
        .orElseGet(() -> AwsBasicCredentials.create(keyId, secret)));
  }
}
