package dev.valine.orchestrator.github;

import static dev.valine.orchestrator.testing.GitHubFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reads that check how a stage is wired: the repository, its workflows and their files, and its variables. */
class GitHubClientRepositoryTest {
  private static final String REPO = "/repos/octo-org/deploy-service";

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T10:00:00Z"));
  private final Secret token = new Secret("fake-" + "repository-token");

  @BeforeEach
  void start() throws Exception {
    github.start();
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private GitHubClient client() {
    return new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", Optional.of(token), "test", time);
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  @Test
  void readsTheRepositoryWithTheToken() throws Exception {
    github.enqueue(GitHubFixtures.json(200, "{\"full_name\":\"octo-org/deploy-service\",\"private\":true,\"default_branch\":\"main\"}"));

    Repository repository = client().repository(deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(new Repository("octo-org/deploy-service", true, "main"), repository);
    RecordedRequest request = github.takeRequest();
    assertEquals(REPO, request.getUrl().encodedPath());
    assertEquals("Bearer " + token.reveal(), request.getHeaders().get("Authorization"));
  }

  @Test
  void aRepositoryTheTokenCannotSeeIsNotFound() {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));

    GitHubException error = failure(client().repository(deadline()));

    assertEquals(Kind.NOT_FOUND, error.kind());
    assertTrue(error.getMessage().contains("repository octo-org/deploy-service"), error.getMessage());
  }

  @Test
  void anInvalidTokenIsUnauthorized() {
    github.enqueue(GitHubFixtures.error(401, "Bad credentials"));

    assertEquals(Kind.UNAUTHORIZED, failure(client().repository(deadline())).kind());
  }

  @Test
  void listsEveryWorkflowWithItsPathAndState() throws Exception {
    ObjectNode page = Jackson.object().put("total_count", 2);
    page.putArray("workflows")
        .add(Jackson.object().put("id", 11).put("name", "Client Deploy").put("path", ".github/workflows/deploy.yml").put("state", "active"))
        .add(Jackson.object().put("id", 12).put("name", "Nightly").put("path", ".github/workflows/nightly.yml")
            .put("state", "disabled_inactivity"));
    github.enqueue(GitHubFixtures.json(200, Jackson.text(page)));

    List<Workflow> workflows = client().workflows(deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(List.of(new Workflow(11, "Client Deploy", ".github/workflows/deploy.yml", "active"),
        new Workflow(12, "Nightly", ".github/workflows/nightly.yml", "disabled_inactivity")), workflows);
    assertEquals(REPO + "/actions/workflows", github.takeRequest().getUrl().encodedPath());
  }

  @Test
  void aWorkflowIsNamedByIdFileOrDisplayName() {
    Workflow deploy = new Workflow(11, "Client Deploy", ".github/workflows/deploy.yml", "active");

    assertTrue(deploy.isNamed("11"));
    assertTrue(deploy.isNamed("deploy.yml"));
    assertTrue(deploy.isNamed("client deploy"));
    assertFalse(deploy.isNamed("other.yml"));
    assertFalse(deploy.isNamed("Deploy"));
    assertTrue(deploy.active());
  }

  @Test
  void readsAWorkflowFileOnARef() throws Exception {
    String yaml = "name: Client Deploy\non:\n  workflow_dispatch:\n";
    // GitHub wraps the base64 at 60 characters.
    String content = Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(yaml.getBytes(StandardCharsets.UTF_8));
    github.enqueue(GitHubFixtures.json(200, Jackson.text(Jackson.object().put("type", "file").put("encoding", "base64")
        .put("content", content + "\n"))));

    Optional<String> file = client().workflowFile(".github/workflows/deploy.yml", "release/1.4", deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(Optional.of(yaml), file);
    RecordedRequest request = github.takeRequest();
    assertEquals(REPO + "/contents/.github/workflows/deploy.yml", request.getUrl().encodedPath());
    assertEquals("release/1.4", request.getUrl().queryParameter("ref"));
  }

  @Test
  void aWorkflowFileMissingOnTheRefIsEmpty() throws Exception {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));

    assertEquals(Optional.empty(), client().workflowFile(".github/workflows/deploy.yml", "main", deadline()).get(10, TimeUnit.SECONDS));
  }

  @Test
  void aTokenThatCannotReadContentsIsToldWhichPermission() {
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));

    GitHubException error = failure(client().workflowFile(".github/workflows/deploy.yml", "main", deadline()));

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertTrue(error.getMessage().contains("Contents \"Read-only\""), error.getMessage());
  }

  @Test
  void countsVariablesWithAPageOfOne() throws Exception {
    github.enqueue(GitHubFixtures.json(200, "{\"total_count\":3,\"variables\":[{\"name\":\"VITE_API_BASE\",\"value\":\"x\"}]}"));

    assertEquals(3L, client().countVariables(deadline()).get(10, TimeUnit.SECONDS));

    RecordedRequest request = github.takeRequest();
    assertEquals(REPO + "/actions/variables", request.getUrl().encodedPath());
    assertEquals("1", request.getUrl().queryParameter("per_page"));
  }

  @Test
  void aTokenThatCannotReadVariablesCannotCountThem() {
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));

    GitHubException error = failure(client().countVariables(deadline()));

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertTrue(error.getMessage().contains("Variables \"Read-only\""), error.getMessage());
  }
}
