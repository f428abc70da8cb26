package dev.valine.orchestrator.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Which credentials a client gets. The default chain is only chosen here, never resolved: that could leave loopback. */
class SdkCredentialsTest {
  private static final String KEY_ID = "AKIA" + "FAKE".repeat(4);
  private static final String SECRET = "fake-secret-" + "y".repeat(28);

  @Test
  void usesTheKeysInTheEnvironmentWithTheirSessionToken() {
    AwsCredentials credentials = SdkCredentials.from(new AwsEnvironment(Map.of(
        "AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", "fake-session"))).resolveCredentials();

    AwsSessionCredentials session = assertInstanceOf(AwsSessionCredentials.class, credentials);
    assertEquals(KEY_ID, session.accessKeyId());
    assertEquals(SECRET, session.secretAccessKey());
    assertEquals("fake-session", session.sessionToken());
  }

  @Test
  void usesLongTermKeysWithoutASessionToken() {
    AwsCredentials credentials = SdkCredentials.from(new AwsEnvironment(Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET)))
        .resolveCredentials();

    assertInstanceOf(AwsBasicCredentials.class, credentials);
    assertEquals(KEY_ID, credentials.accessKeyId());
  }

  @Test
  void withoutKeysFollowsTheSdksDefaultChain() {
    // As under SnapStart (container credentials), with a profile or SSO login, or with only half a key pair.
    assertInstanceOf(DefaultCredentialsProvider.class, SdkCredentials.from(new AwsEnvironment(Map.of("AWS_REGION", "eu-west-1"))));
    assertInstanceOf(DefaultCredentialsProvider.class, SdkCredentials.from(new AwsEnvironment(Map.of("AWS_PROFILE", "dev-sso"))));
    assertInstanceOf(DefaultCredentialsProvider.class, SdkCredentials.from(new AwsEnvironment(Map.of("AWS_ACCESS_KEY_ID", KEY_ID))));
  }

  @Test
  void keysInTheEnvironmentAreNeverMixedWithTheChain() {
    assertInstanceOf(StaticCredentialsProvider.class, SdkCredentials.from(new AwsEnvironment(Map.of(
        "AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_PROFILE", "dev-sso"))));
  }
}
