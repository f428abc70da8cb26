package dev.valine.orchestrator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.SecretsManagerStandIn;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the tokens come from, read through the SDK from a loopback Secrets Manager ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}). */
class TokensTest {
  private static final String SECRET = "valine/test";
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T09:00:00Z"));
  private final String botToken = "fake-bot-" + System.nanoTime();
  private final String githubToken = "fake-gh-" + System.nanoTime();
  private SecretsManagerStandIn secretsManager;

  @BeforeEach
  void start() throws Exception {
    secretsManager = new SecretsManagerStandIn().holds(Map.of("botToken", botToken, "githubToken", githubToken));
  }

  @AfterEach
  void stop() {
    secretsManager.close();
  }

  private Tokens tokens(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(Map.of("SECRET_ID", SECRET));
    all.putAll(env);
    return Tokens.forApp(Config.fromEnvironment(all, Config.PublicKey.OPTIONAL), new AwsEnvironment(secretsManager.awsEnvironment()), time);
  }

  @Test
  void readsBothTokensFromTheSecretWithOneGetSecretValue() {
    Tokens tokens = tokens(Map.of());

    assertEquals(Optional.of(new Secret(botToken)), tokens.discord().token());
    assertEquals(Optional.of(new Secret(githubToken)), tokens.github().token());
    assertEquals(Optional.of(new Secret(botToken)), tokens.discord().token());

    assertEquals(List.of(SECRET), secretsManager.secretIds(), "one read, of the secret SECRET_ID names");
    assertEquals("secret valine/test (key botToken)", tokens.discord().origin());
    assertEquals("secret valine/test (key githubToken)", tokens.github().origin());
  }

  @Test
  void readsNothingUntilATokenIsAskedFor() {
    Tokens tokens = tokens(Map.of());

    tokens.prepare();

    assertEquals(0, secretsManager.reads(), "building the client (SnapStart priming) reads no secret");
  }

  @Test
  void theEnvironmentsTokensWinAndAreNeverReadAgain() {
    String local = "fake-local-" + System.nanoTime();
    Tokens tokens = tokens(Map.of("DISCORD_BOT_TOKEN", local, "GITHUB_TOKEN", local));

    assertEquals(Optional.of(new Secret(local)), tokens.discord().token());
    assertFalse(tokens.discord().renew(new Secret(local)), "a token from the environment cannot change");
    assertFalse(tokens.github().renew(new Secret(local)));

    assertEquals(0, secretsManager.reads());
    assertEquals("DISCORD_BOT_TOKEN", tokens.discord().origin());
    assertEquals(Optional.empty(), tokens.secret(), "both tokens are set: the secret is not used at all");
  }

  @Test
  void theSecretFillsInWhatTheEnvironmentLacks() {
    String local = "fake-local-" + System.nanoTime();
    Tokens tokens = tokens(Map.of("GITHUB_TOKEN", local));

    assertEquals(Optional.of(new Secret(local)), tokens.github().token());
    assertEquals(Optional.of(new Secret(botToken)), tokens.discord().token());
    assertEquals(1, secretsManager.reads());
  }

  @Test
  void withoutSecretIdTheTokensComeFromTheEnvironmentAsBefore() {
    Tokens tokens = Tokens.forApp(Config.fromEnvironment(Map.of(), Config.PublicKey.OPTIONAL),
        new AwsEnvironment(secretsManager.awsEnvironment()), time);

    assertEquals(Optional.empty(), tokens.discord().token());
    assertEquals("GITHUB_TOKEN", tokens.github().origin());
    assertEquals(0, secretsManager.reads());
  }

  @Test
  void aRotatedSecretIsPickedUpAfterARejectionWithoutARedeploy() {
    Tokens tokens = tokens(Map.of());
    Secret old = tokens.discord().token().orElseThrow();
    String rotated = "fake-rotated-" + System.nanoTime();
    secretsManager.holds(Map.of("botToken", rotated, "githubToken", githubToken));

    assertTrue(tokens.discord().renew(old));

    assertEquals(Optional.of(new Secret(rotated)), tokens.discord().token());
    assertEquals(2, secretsManager.reads());
  }

  @Test
  void afterRestoreForgetsWhatWasReadBefore() {
    Tokens tokens = tokens(Map.of());
    tokens.discord().token();
    String rotated = "fake-after-restore-" + System.nanoTime();
    secretsManager.holds(Map.of("botToken", rotated, "githubToken", githubToken));

    tokens.afterRestore();

    assertEquals(Optional.of(new Secret(rotated)), tokens.discord().token(), "read again, not the token from before the snapshot");
    assertEquals(2, secretsManager.reads());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ResourceNotFoundException", "AccessDeniedException", "ThrottlingException"})
  void aSecretThatCannotBeReadIsOneErrorLineNamingItAndAClearException(String code) {
    secretsManager.failsWith(code);
    try (LogCapture logs = new LogCapture()) {
      Tokens tokens = tokens(Map.of());

      SecretUnavailableException error = assertThrows(SecretUnavailableException.class, () -> tokens.github().token());

      assertEquals(code, error.errorCode());
      assertEquals(SECRET, error.secretName());
      assertTrue(error.userMessage().startsWith("I could not read my credentials (secret `valine/test`: " + code + ")"), error.userMessage());
      assertTrue(error.userMessage().contains("RUNBOOK.md, \"Secret cannot be read\""), error.userMessage());
      List<JsonNode> errors = logs.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).toList();
      assertEquals(1, errors.size(), logs.text());
      assertEquals(SECRET, errors.get(0).path("secret_name").asText());
      assertEquals(code, errors.get(0).path("error_code").asText());
    }
  }

  @Test
  void aThrottledReadIsRetriedWithinItsLimitsAndThenReported() {
    secretsManager.failsWith("ThrottlingException");
    Tokens tokens = tokens(Map.of());

    assertThrows(SecretUnavailableException.class, () -> tokens.discord().token());

    assertEquals(Tokens.READS.attempts(), secretsManager.reads(), "the SDK's standard retries, cut to the read limits");
  }

  @Test
  void aSecretThatCannotBeReadIsReadAgainOnceItsFailureWindowHasPassed() {
    secretsManager.failsWith("AccessDeniedException");
    try (LogCapture logs = new LogCapture()) {
      Tokens tokens = tokens(Map.of());
      assertThrows(SecretUnavailableException.class, () -> tokens.discord().token());
      int reads = secretsManager.reads();

      secretsManager.holds(Map.of("botToken", botToken, "githubToken", githubToken));
      assertThrows(SecretUnavailableException.class, () -> tokens.github().token(), "within the window the failure is kept");
      assertEquals(reads, secretsManager.reads(), "and costs no read");
      time.advance(SecretTokens.FAILURE_TTL);

      assertEquals(Optional.of(new Secret(botToken)), tokens.discord().token(), "the fixed policy works without a redeploy");
      assertEquals(1, logs.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).count(), logs.text());
    }
  }

  @Test
  void aThrottledRefreshKeepsTheTokensReadBeforeAndItsErrorLineSaysUntilWhen() {
    try (LogCapture logs = new LogCapture()) {
      Tokens tokens = tokens(Map.of());
      tokens.discord().token();
      secretsManager.failsWith("ThrottlingException");
      time.advance(SecretTokens.TTL);

      Optional<Secret> discord = tokens.discord().token();
      Optional<Secret> github = tokens.github().token();

      assertEquals(Optional.of(new Secret(botToken)), discord, "the commands go on with the tokens read before");
      assertEquals(Optional.of(new Secret(githubToken)), github);
      List<JsonNode> errors = logs.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).toList();
      assertEquals(1, errors.size(), logs.text());
      assertEquals("ThrottlingException", errors.get(0).path("error_code").asText());
      assertTrue(errors.get(0).has("stale_until"), errors.get(0).toString());
    }
  }

  @Test
  void aRejectedBotTokenWhoseRenewalCannotReadTheSecretLeavesTheGitHubTokenWorking() {
    Tokens tokens = tokens(Map.of());
    Secret rejected = tokens.discord().token().orElseThrow();
    secretsManager.failsWith("ThrottlingException");

    SecretUnavailableException error = assertThrows(SecretUnavailableException.class, () -> tokens.discord().renew(rejected));

    assertEquals("ThrottlingException", error.errorCode());
    assertEquals(Optional.of(new Secret(githubToken)), tokens.github().token());
  }

  @Test
  void logsTheVersionOfEachReadSoThatARotationCanBeConfirmed() {
    try (LogCapture logs = new LogCapture()) {
      Tokens tokens = tokens(Map.of());
      tokens.discord().token();
      secretsManager.holds(Map.of("botToken", "fake-rotated-" + System.nanoTime()));
      tokens.afterRestore();
      tokens.discord().token();

      List<String> versions = logs.lines().stream().filter(line -> line.has("version_id"))
          .map(line -> line.path("secret_name").asText() + " " + line.path("version_id").asText()).toList();
      assertEquals(List.of("valine/test v-1", "valine/test v-2"), versions, "the stand-in's VersionId of each read");
    }
  }

  @Test
  void noTokenReachesAnyLogLine() {
    try (LogCapture logs = new LogCapture()) {
      Tokens tokens = tokens(Map.of());
      tokens.discord().token();
      tokens.discord().renew(new Secret(botToken));
      secretsManager.holdsText("not json " + botToken);
      tokens.afterRestore();
      assertThrows(SecretUnavailableException.class, () -> tokens.discord().token());

      assertFalse(logs.text().contains(botToken) || logs.text().contains(githubToken), logs.text());
    }
  }
}
