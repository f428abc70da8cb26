package dev.valine.orchestrator.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.secrets.SecretUnavailableException;
import dev.valine.orchestrator.secrets.Tokens;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.SecretsManagerStandIn;
import dev.valine.orchestrator.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A GitHub token from Secrets Manager: read again once after GitHub's 401, and the request sent once more if it changed. */
class GitHubClientTokenRenewalTest {
  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T09:00:00Z"));
  private final String oldToken = "fake-old-gh-" + System.nanoTime();
  private final String newToken = "fake-new-gh-" + System.nanoTime();
  private SecretsManagerStandIn secretsManager;

  @BeforeEach
  void start() throws Exception {
    github.start();
    secretsManager = new SecretsManagerStandIn().holds(Map.of("githubToken", oldToken));
  }

  @AfterEach
  void stop() {
    github.close();
    secretsManager.close();
  }

  private GitHubClient client(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(Map.of("SECRET_ID", "valine/test"));
    all.putAll(env);
    Tokens tokens = Tokens.forApp(Config.fromEnvironment(all, Config.PublicKey.OPTIONAL), new AwsEnvironment(secretsManager.awsEnvironment()),
        time);
    return new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", tokens.github(), "test", time);
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  private String authorization() throws InterruptedException {
    RecordedRequest request = github.takeRequest(5, TimeUnit.SECONDS);
    return request.getHeaders().get("Authorization");
  }

  private static GitHubException failure(CompletableFuture<?> future) {
    ExecutionException error = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return (GitHubException) error.getCause();
  }

  @Test
  void aRotatedTokenIsReadAgainAfterA401AndTheReadRetriedOnceWithIt() throws Exception {
    GitHubClient client = client(Map.of());
    github.enqueue(GitHubFixtures.runsPage());
    client.recentRuns("deploy.yml", 1, deadline()).get(10, TimeUnit.SECONDS);
    secretsManager.holds(Map.of("githubToken", newToken));
    github.enqueue(GitHubFixtures.error(401, "Bad credentials"));
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(412, "completed", "success", time.instant(), Duration.ofMinutes(2))));

    assertEquals(1, client.recentRuns("deploy.yml", 1, deadline()).get(10, TimeUnit.SECONDS).size());

    assertEquals("Bearer " + oldToken, authorization(), "the first use");
    assertEquals("Bearer " + oldToken, authorization(), "the cached token, rejected");
    assertEquals("Bearer " + newToken, authorization(), "the retry carries the token read again");
    assertEquals(2, secretsManager.reads());
  }

  @Test
  void aWriteRefusedWith401IsSentOnceMoreWithTheRotatedToken() throws Exception {
    GitHubClient client = client(Map.of());
    github.enqueue(GitHubFixtures.runsPage());
    client.recentRuns("deploy.yml", 1, deadline()).get(10, TimeUnit.SECONDS);
    secretsManager.holds(Map.of("githubToken", newToken));
    github.enqueue(GitHubFixtures.error(401, "Bad credentials"));
    github.enqueue(GitHubFixtures.noContent());

    client.dispatch("deploy.yml", "main", Map.of("correlation_id", "c-1"), deadline()).get(10, TimeUnit.SECONDS);

    assertEquals("Bearer " + oldToken, authorization());
    RecordedRequest refused = github.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest resent = github.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("Bearer " + oldToken, refused.getHeaders().get("Authorization"));
    assertEquals("Bearer " + newToken, resent.getHeaders().get("Authorization"), "the retry carries the token read again");
    assertEquals(refused.getBody().utf8(), resent.getBody().utf8(), "the same dispatch: GitHub did nothing with the refused one");
    assertEquals(3, github.getRequestCount());
    assertEquals(2, secretsManager.reads());
  }

  @Test
  void aTokenStillRejectedAfterItsRenewalIsReportedNamingTheSecret() throws Exception {
    GitHubClient client = client(Map.of());
    github.enqueue(GitHubFixtures.runsPage());
    client.recentRuns("deploy.yml", 1, deadline()).get(10, TimeUnit.SECONDS);
    secretsManager.holds(Map.of("githubToken", newToken));
    for (int i = 0; i < 3; i++) {
      github.enqueue(GitHubFixtures.error(401, "Bad credentials"));
    }

    GitHubException error = failure(client.recentRuns("deploy.yml", 1, deadline()));

    assertEquals(GitHubException.Kind.UNAUTHORIZED, error.kind());
    assertTrue(error.getMessage().contains("read from secret valine/test (key githubToken)"), error.getMessage());
    assertEquals(3, github.getRequestCount(), "the first use, the rejected request and its one retry: no loop");
    assertEquals(2, secretsManager.reads());
  }

  @Test
  void aTokenTheSecretStillHoldsIsNotSentAgain() throws Exception {
    GitHubClient client = client(Map.of());
    github.enqueue(GitHubFixtures.error(401, "Bad credentials"));

    failure(client.recentRuns("deploy.yml", 1, deadline()));

    assertEquals(1, github.getRequestCount());
    assertEquals(2, secretsManager.reads(), "one fresh read after the 401, which gave the same token");
  }

  @Test
  void aTokenFromTheEnvironmentIsNeverReadAgain() throws Exception {
    GitHubClient client = client(Map.of("GITHUB_TOKEN", oldToken));
    github.enqueue(GitHubFixtures.error(401, "Bad credentials"));

    GitHubException error = failure(client.recentRuns("deploy.yml", 1, deadline()));

    assertTrue(error.getMessage().contains("GITHUB_TOKEN"), error.getMessage());
    assertEquals(1, github.getRequestCount());
    assertEquals(0, secretsManager.reads());
  }

  @Test
  void aSecretThatCannotBeReadSendsNothingAndSaysWhatToDo() {
    GitHubClient client = client(Map.of());
    secretsManager.failsWith("ResourceNotFoundException");

    GitHubException error = failure(client.recentRuns("deploy.yml", 1, deadline()));

    assertEquals(GitHubException.Kind.CREDENTIALS_UNAVAILABLE, error.kind(), "not UNAUTHORIZED: GitHub said nothing");
    assertTrue(error.neverSent());
    assertTrue(error.getCause() instanceof SecretUnavailableException);
    assertTrue(error.getMessage().startsWith("I could not read my credentials (secret `valine/test`: ResourceNotFoundException)"),
        error.getMessage());
    assertEquals(0, github.getRequestCount());
    assertFalse(List.of(error.getMessage()).toString().contains(oldToken));
  }

  @Test
  void requestsWithinTheFailureWindowFailAtOnceWithoutReadingTheSecretAgain() {
    GitHubClient client = client(Map.of());
    secretsManager.failsWith("AccessDeniedException");
    failure(client.recentRuns("deploy.yml", 1, deadline()));
    int reads = secretsManager.reads();

    GitHubException again = failure(client.dispatch("deploy.yml", "main", Map.of("correlation_id", "c-1"), deadline()));

    assertEquals(GitHubException.Kind.CREDENTIALS_UNAVAILABLE, again.kind());
    assertTrue(again.neverSent());
    assertEquals(reads, secretsManager.reads());
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void aDispatchRefusedWith401WhoseSecretThenCannotBeReadIsNotSentAgainAndSaysSo() throws Exception {
    GitHubClient client = client(Map.of());
    github.enqueue(GitHubFixtures.runsPage());
    client.recentRuns("deploy.yml", 1, deadline()).get(10, TimeUnit.SECONDS);
    secretsManager.failsWith("AccessDeniedException");
    github.enqueue(GitHubFixtures.error(401, "Bad credentials"));
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client.dispatch("deploy.yml", "main", Map.of("correlation_id", "c-1"), deadline()));

    assertEquals(GitHubException.Kind.CREDENTIALS_UNAVAILABLE, error.kind(), "the secret is what to fix before the token can be judged");
    assertFalse(error.neverSent(), "the refused request did reach GitHub");
    assertTrue(error.getMessage().contains("secret `valine/test`: AccessDeniedException"), error.getMessage());
    assertEquals(2, github.getRequestCount(), "the first use and the refused dispatch: not sent again");
  }
}
