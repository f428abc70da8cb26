package dev.valine.orchestrator.github;

import static dev.valine.orchestrator.testing.GitHubFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubClientArtifactsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String SUMMARY = "{\"checks\":[{\"name\":\"frontend\",\"ok\":true,\"detail\":\"200 in 84 ms\"}]}";

  // GitHub's API, and the storage it redirects downloads to: another host, as far as OkHttp is concerned.
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer storage = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);
  private final Secret token = new Secret("fake-" + "artifact-token");

  @BeforeEach
  void start() throws Exception {
    github.start();
    storage.start();
  }

  @AfterEach
  void stop() {
    github.close();
    storage.close();
  }

  private GitHubClient client(Predicate<HttpUrl> downloadTargets) {
    return new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", Optional.of(token), "test", time,
        downloadTargets);
  }

  /** Downloads may go to the storage stand-in only, as a production check allows only https hosts. */
  private GitHubClient client() {
    return client(url -> url.host().equals(storage.getHostName()) && url.port() == storage.getPort());
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  private MockResponse redirectToStorage() {
    // The query stands for the short-lived signature a real storage URL carries.
    return new MockResponse.Builder().code(302)
        .setHeader("Location", storage.url("/artifacts/77/blob.zip?sig=fake-signature&se=2026-12-01T10%3A01%3A00Z").toString())
        .build();
  }

  @Test
  void listsARunsArtifacts() throws Exception {
    github.enqueue(GitHubFixtures.artifactsPage(
        GitHubFixtures.artifact(77, "diagnose-summary", 412, false),
        GitHubFixtures.artifact(76, "bundle", 5_000_000, true)));

    List<Artifact> artifacts = client().artifacts(9_000_000_007L, deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(List.of(new Artifact(77, "diagnose-summary", 412, false), new Artifact(76, "bundle", 5_000_000, true)), artifacts);
    assertEquals("/repos/octo-org/deploy-service/actions/runs/9000000007/artifacts", github.takeRequest().getUrl().encodedPath());
  }

  @Test
  void downloadsThroughTheRedirectWithoutSendingTheTokenThere() throws Exception {
    github.enqueue(redirectToStorage());
    storage.enqueue(GitHubFixtures.bytes(200, GitHubFixtures.zip(Map.of("summary.json", SUMMARY.getBytes(StandardCharsets.UTF_8)))));

    ArtifactZip zip = client().downloadArtifact(77, 1024 * 1024, deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(Optional.of(SUMMARY), zip.text("summary.json", 64 * 1024));
    RecordedRequest asked = github.takeRequest();
    assertEquals("/repos/octo-org/deploy-service/actions/artifacts/77/zip", asked.getUrl().encodedPath());
    assertEquals("Bearer " + token.reveal(), asked.getHeaders().get("Authorization"));
    RecordedRequest fetched = storage.takeRequest();
    assertEquals("/artifacts/77/blob.zip", fetched.getUrl().encodedPath());
    assertEquals("fake-signature", fetched.getUrl().queryParameter("sig"));
    assertNull(fetched.getHeaders().get("Authorization"), "the token stays with GitHub's API");
    assertNull(fetched.getHeaders().get("X-GitHub-Api-Version"));
  }

  @Test
  void okHttpDropsTheTokenWhenAReadIsRedirectedToAnotherHost() throws Exception {
    // Reads follow redirects on their own (a renamed repository); OkHttp must not carry the token along.
    github.enqueue(new MockResponse.Builder().code(301).setHeader("Location", storage.url("/moved/runs").toString()).build());
    storage.enqueue(GitHubFixtures.json(200, GitHubFixtures.run(7, "completed", "success", NOW, Duration.ofMinutes(1)).toString()));

    client().run(7, deadline()).get(10, TimeUnit.SECONDS);

    assertEquals("Bearer " + token.reveal(), github.takeRequest().getHeaders().get("Authorization"));
    assertNull(storage.takeRequest().getHeaders().get("Authorization"));
  }

  @Test
  void aRedirectTheCheckRefusesIsNotFollowed() {
    github.enqueue(redirectToStorage());

    GitHubException error = failure(client(url -> false).downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals("GitHub sent the download of artifact 77 in octo-org/deploy-service to http://" + storage.getHostName()
        + ", where the bot does not fetch from.", error.getMessage());
    assertFalse(error.getMessage().contains("fake-signature"), "the signed URL is a credential");
    assertEquals(0, storage.getRequestCount());
  }

  /** The storage client checks the address a name resolves to, which a check of the URL's text cannot see. */
  @Test
  void aStorageNameThatResolvesToAPrivateAddressIsNotFetched() {
    okhttp3.Dns table = host -> List.of(java.net.InetAddress.getLoopbackAddress());
    OkHttpClient guarded = new dev.valine.orchestrator.net.SafeHttp(new OkHttpClient(),
        new dev.valine.orchestrator.net.UrlPolicy(List.of(), false), table, 0, time).guardedClient();
    GitHubClient client = new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service",
        dev.valine.orchestrator.secrets.TokenSource.environment("GITHUB_TOKEN", Optional.of(token)), "test", time, url -> true,
        Optional.of(guarded));
    github.enqueue(new MockResponse.Builder().code(302)
        .setHeader("Location", "http://storage.example:" + storage.getPort() + "/artifacts/77/blob.zip?sig=fake-signature").build());

    GitHubException error = failure(client.downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals(Kind.NETWORK, error.kind());
    assertTrue(error.getMessage().contains("storage.example resolves to 127.0.0.1, a loopback address"), error.getMessage());
    assertEquals(0, storage.getRequestCount(), "resolved to loopback: refused before any connection");
  }

  @Test
  void byDefaultOnlyHttpsRedirectsAreFollowed() {
    github.enqueue(redirectToStorage());
    GitHubClient client = new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service",
        Optional.of(token), "test", time);

    GitHubException error = failure(client.downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals(0, storage.getRequestCount());
  }

  @Test
  void everyRedirectIsChecked() {
    github.enqueue(redirectToStorage());
    storage.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "http://169.254.169.254/latest/meta-data/").build());

    GitHubException error = failure(client().downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals("GitHub sent the download of artifact 77 in octo-org/deploy-service to http://169.254.169.254, where the bot "
        + "does not fetch from.", error.getMessage());
  }

  @Test
  void anArchiveLargerThanTheBoundIsNotDownloaded() {
    github.enqueue(redirectToStorage());
    storage.enqueue(new MockResponse.Builder().code(200).chunkedBody("x".repeat(200_000), 4096).build());

    GitHubException error = failure(client().downloadArtifact(77, 100_000, deadline()));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals("The artifact 77 in octo-org/deploy-service is larger than 100000 bytes; it was not downloaded.", error.getMessage());
  }

  @Test
  void anExpiredArtifactSaysSo() {
    github.enqueue(GitHubFixtures.error(410, "Artifact has expired"));

    GitHubException error = failure(client().downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals(Kind.NOT_FOUND, error.kind());
    assertEquals("GitHub no longer has artifact 77 in octo-org/deploy-service (HTTP 410): it expired or was deleted.", error.getMessage());
  }

  @Test
  void aStorageRefusalSaysTheLinkMayHaveExpired() {
    github.enqueue(redirectToStorage());
    storage.enqueue(new MockResponse.Builder().code(403).body("<Error>AuthenticationFailed</Error>").build());

    GitHubException error = failure(client().downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertTrue(error.getMessage().contains("its download link may have expired. Try again."), error.getMessage());
  }

  @Test
  void cancellingADownloadAbortsTheStorageCall() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    github.enqueue(redirectToStorage());
    storage.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        received.countDown();
        release.await(10, TimeUnit.SECONDS);
        return GitHubFixtures.bytes(200, GitHubFixtures.zip(Map.of()));
      }
    });
    List<String> cancelled = new CopyOnWriteArrayList<>();
    OkHttpClient observed = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void canceled(Call call) {
        cancelled.add(call.request().url().encodedPath());
      }
    }).build();
    GitHubClient client = new GitHubClient(observed, github.url("/").toString(), "octo-org/deploy-service", Optional.of(token), "test",
        time, url -> url.port() == storage.getPort());
    CompletableFuture<ArtifactZip> download = client.downloadArtifact(77, 1024 * 1024, deadline());
    assertTrue(received.await(10, TimeUnit.SECONDS), "the storage was asked");

    download.cancel(true);
    release.countDown();

    assertEquals(List.of("/artifacts/77/blob.zip"), cancelled);
  }

  @Test
  void aTokenThatCannotReadActionsIsTold() {
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));

    GitHubException error = failure(client().downloadArtifact(77, 1024 * 1024, deadline()));

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertEquals("GitHub refused access to artifact 77 in octo-org/deploy-service (HTTP 403). The token needs read access to "
        + "Actions on that repository.", error.getMessage());
  }
}
