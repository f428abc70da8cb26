package dev.valine.orchestrator.github;

import static dev.valine.orchestrator.testing.GitHubFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubClientVariablesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String VARIABLE = "/repos/octo-org/deploy-service/actions/variables/VITE_API_BASE";

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);
  private final Secret token = new Secret("fake-" + "variables-token");
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    github.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    github.close();
  }

  private GitHubClient client() {
    return new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", Optional.of(token), "test", time);
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  @Test
  void readsAVariable() throws Exception {
    github.enqueue(GitHubFixtures.variable("VITE_API_BASE", "https://api.example.org"));

    Optional<String> value = client().variable("VITE_API_BASE", deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(Optional.of("https://api.example.org"), value);
    RecordedRequest request = github.takeRequest();
    assertEquals("GET", request.getMethod());
    assertEquals(VARIABLE, request.getUrl().encodedPath());
  }

  @Test
  void aVariableThatDoesNotExistIsEmpty() throws Exception {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));

    assertEquals(Optional.empty(), client().variable("VITE_API_BASE", deadline()).get(10, TimeUnit.SECONDS));
  }

  @Test
  void aTokenThatCannotReadVariablesIsToldWhichPermission() {
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));

    GitHubException error = failure(client().variable("VITE_API_BASE", deadline()));

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertEquals("GitHub refused access to variable VITE_API_BASE in octo-org/deploy-service (HTTP 403). The token needs read "
        + "access to Variables (a fine-grained token needs Variables \"Read-only\", a classic token the repo scope) on that repository.",
        error.getMessage());
  }

  @Test
  void updatesAVariableThatExists() throws Exception {
    github.enqueue(GitHubFixtures.noContent());

    VariableWrite write = client().setVariable("VITE_API_BASE", "https://api.example.org", deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(VariableWrite.UPDATED, write);
    RecordedRequest request = github.takeRequest();
    assertEquals("PATCH", request.getMethod());
    assertEquals(VARIABLE, request.getUrl().encodedPath());
    assertEquals("Bearer " + token.reveal(), request.getHeaders().get("Authorization"));
    assertEquals(Jackson.parse("{\"value\":\"https://api.example.org\"}"), Jackson.parse(request.getBody().utf8()));
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void createsAVariableTheUpdateDidNotFind() throws Exception {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));
    github.enqueue(GitHubFixtures.json(201, "{}"));

    VariableWrite write = client().setVariable("VITE_API_BASE", "https://api.example.org", deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(VariableWrite.CREATED, write);
    assertEquals("PATCH", github.takeRequest().getMethod());
    RecordedRequest create = github.takeRequest();
    assertEquals("POST", create.getMethod());
    assertEquals("/repos/octo-org/deploy-service/actions/variables", create.getUrl().encodedPath());
    assertEquals(Jackson.parse("{\"name\":\"VITE_API_BASE\",\"value\":\"https://api.example.org\"}"), Jackson.parse(create.getBody().utf8()));
  }

  @Test
  void aCreateThatFailsIsNotTriedAgain() {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));
    github.enqueue(GitHubFixtures.error(409, "Already exists - Variable already exists"));
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client().setVariable("VITE_API_BASE", "https://api.example.org", deadline()));

    assertEquals(409, error.httpStatus().orElseThrow());
    assertEquals(2, github.getRequestCount());
  }

  @Test
  void aTokenThatCannotWriteVariablesIsToldWhichPermission() {
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));

    GitHubException error = failure(client().setVariable("VITE_API_BASE", "https://api.example.org", deadline()));

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertTrue(error.getMessage().endsWith("The token needs write access to Variables (a fine-grained token needs Variables \"Read and "
        + "write\", a classic token the repo scope) on that repository."), error.getMessage());
    assertEquals(1, github.getRequestCount(), "a refused update is not followed by a create");
  }

  @Test
  void aVariableWriteThatTimesOutIsNotSentAgain() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        time.advance(Duration.ofSeconds(3));
        release.await(10, TimeUnit.SECONDS);
        return GitHubFixtures.noContent();
      }
    });

    GitHubException error = failure(client().setVariable("VITE_API_BASE", "https://api.example.org",
        Deadline.of(NOW, Duration.ofMillis(300), time)));

    assertEquals(Kind.TIMEOUT, error.kind());
    assertEquals("GitHub did not answer within 3.0 s. The variable may have been changed anyway: read it back before trying again.",
        error.getMessage());
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void aVariableWriteGitHubAsksToRepeatIsNotRepeated() {
    github.enqueue(new MockResponse.Builder(GitHubFixtures.error(503, "Service Unavailable")).setHeader("Retry-After", "0").build());
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client().setVariable("VITE_API_BASE", "https://api.example.org", deadline()));

    assertEquals(Kind.SERVER_ERROR, error.kind());
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void refusesANameGitHubWouldNotTake() {
    assertThrows(IllegalArgumentException.class, () -> client().setVariable("../secrets/X", "v", deadline()));
    assertThrows(IllegalArgumentException.class, () -> client().variable("1ST", deadline()));
    assertEquals(0, github.getRequestCount());
  }
}
