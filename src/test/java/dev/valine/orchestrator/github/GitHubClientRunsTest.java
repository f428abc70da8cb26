package dev.valine.orchestrator.github;

import static dev.valine.orchestrator.testing.GitHubFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubClientRunsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String RUNS = "/repos/octo-org/deploy-service/actions/workflows/deploy.yml/runs";

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);

  @BeforeEach
  void start() throws Exception {
    github.start();
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private GitHubClient client() {
    return new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", Optional.empty(), "test", time);
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  private static <T> T done(CompletableFuture<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  @Test
  void findsTheDispatchedRunByTheCorrelationIdInItsTitle() throws Exception {
    github.enqueue(GitHubFixtures.runsPage(
        GitHubFixtures.dispatchedRun(12, "Deploy c-9e01", NOW.plusSeconds(20)),
        GitHubFixtures.dispatchedRun(11, "Deploy c-7f3a", NOW.plusSeconds(3))));

    Optional<WorkflowRun> run = done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline()));

    assertEquals(11, run.orElseThrow().runNumber());
  }

  @Test
  void searchesDispatchRunsCreatedSinceTheDispatch() throws Exception {
    github.enqueue(GitHubFixtures.runsPage());

    done(client().findDispatchedRun("deploy.yml", "c-7f3a", Instant.parse("2026-12-01T09:59:58.750Z"), deadline()));

    HttpUrl url = github.takeRequest().getUrl();
    assertEquals(RUNS, url.encodedPath());
    assertEquals("workflow_dispatch", url.queryParameter("event"));
    // GitHub's search syntax takes whole seconds; the fraction is dropped, never rounded up past the dispatch.
    assertEquals(">=2026-12-01T09:59:58Z", url.queryParameter("created"));
    assertTrue(url.encodedQuery().contains("created=%3E%3D2026-12-01T09%3A59%3A58Z"), url.encodedQuery());
    assertEquals("100", url.queryParameter("per_page"));
  }

  @Test
  void findsTheCorrelationIdInTheRunsName() throws Exception {
    ObjectNode named = GitHubFixtures.dispatchedRun(11, "Deploy", NOW.plusSeconds(3)).put("name", "Deploy c-7f3a");
    github.enqueue(GitHubFixtures.runsPage(named));

    assertEquals(11, done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline())).orElseThrow().runNumber());
  }

  @Test
  void aRunThatHasNotAppearedIsNotFoundEvenWithNewerRunsAround() throws Exception {
    github.enqueue(GitHubFixtures.runsPage(
        GitHubFixtures.dispatchedRun(13, "Deploy c-0b2d", NOW.plusSeconds(5)),
        GitHubFixtures.dispatchedRun(12, "Deploy c-9e01", NOW.plusSeconds(2))));

    assertEquals(Optional.empty(), done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline())));
  }

  @Test
  void anEmptyListFindsNothing() throws Exception {
    github.enqueue(GitHubFixtures.runsPage());

    assertEquals(Optional.empty(), done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline())));
  }

  @Test
  void aCorrelationIdThatIsPartOfALongerIdIsNotMatched() throws Exception {
    github.enqueue(GitHubFixtures.runsPage(
        GitHubFixtures.dispatchedRun(14, "Deploy c-7f3a2", NOW.plusSeconds(4)),
        GitHubFixtures.dispatchedRun(13, "Deploy c-7f3a-retry", NOW.plusSeconds(3)),
        GitHubFixtures.dispatchedRun(12, "Deploy c-7f3a.1", NOW.plusSeconds(2)),
        GitHubFixtures.dispatchedRun(11, "Deploy xc-7f3a", NOW.plusSeconds(1))));

    assertEquals(Optional.empty(), done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline())));
  }

  @Test
  void theWholeIdIsFoundBesideLongerOnes() throws Exception {
    github.enqueue(GitHubFixtures.runsPage(
        GitHubFixtures.dispatchedRun(14, "Deploy c-7f3a2", NOW.plusSeconds(4)),
        GitHubFixtures.dispatchedRun(13, "Deploy (c-7f3a) by ana", NOW.plusSeconds(3))));

    assertEquals(13, done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline())).orElseThrow().runNumber());
  }

  @Test
  void aRunFromAnotherEventIsNotTheDispatchedOne() throws Exception {
    ObjectNode pushed = GitHubFixtures.dispatchedRun(11, "Deploy c-7f3a", NOW.plusSeconds(3)).put("event", "push");
    github.enqueue(GitHubFixtures.runsPage(pushed));

    assertEquals(Optional.empty(), done(client().findDispatchedRun("deploy.yml", "c-7f3a", NOW, deadline())));
  }

  @Test
  void refusesACorrelationIdThatCannotBeMatchedAsOneToken() {
    assertThrows(IllegalArgumentException.class, () -> client().findDispatchedRun("deploy.yml", "c 7f3a", NOW, deadline()));
    assertThrows(IllegalArgumentException.class, () -> client().findDispatchedRun("deploy.yml", "", NOW, deadline()));
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void findsADispatchedRunOfAWorkflowGivenByDisplayName() throws Exception {
    github.enqueue(GitHubFixtures.workflows("Deploy client", 11));
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.dispatchedRun(5, "Deploy c-7f3a", NOW.plusSeconds(3))));

    assertEquals(5, done(client().findDispatchedRun("Deploy client", "c-7f3a", NOW, deadline())).orElseThrow().runNumber());
    github.takeRequest();
    assertEquals("/repos/octo-org/deploy-service/actions/workflows/11/runs", github.takeRequest().getUrl().encodedPath());
  }

  @Test
  void readsOneRun() throws Exception {
    github.enqueue(GitHubFixtures.json(200, GitHubFixtures.run(7, "completed", "failure", NOW, Duration.ofMinutes(3)).toString()));

    WorkflowRun run = done(client().run(9_000_000_007L, deadline()));

    assertEquals("/repos/octo-org/deploy-service/actions/runs/9000000007", github.takeRequest().getUrl().encodedPath());
    assertEquals(9_000_000_007L, run.id());
    assertEquals(WorkflowRun.Outcome.FAILURE, run.outcome());
    assertEquals(Duration.ofMinutes(3), run.duration(NOW.plusSeconds(3600)));
    assertEquals(NOW, run.createdAt());
  }

  @Test
  void aRunThatDoesNotExistIsNamed() {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));

    GitHubException error = failure(client().run(42, deadline()));

    assertEquals(Kind.NOT_FOUND, error.kind());
    assertEquals("GitHub found no run 42 in octo-org/deploy-service (HTTP 404). Check the name, or whether the token can see "
        + "the repository.", error.getMessage());
  }

  @Test
  void aSecondaryRateLimitSaysWhenToRetry() {
    github.enqueue(new MockResponse.Builder(GitHubFixtures.error(403, "You have exceeded a secondary rate limit."))
        .setHeader("retry-after", "120").setHeader("x-ratelimit-remaining", "4321").build());

    GitHubException error = failure(client().run(42, deadline()));

    assertEquals(Kind.RATE_LIMITED, error.kind());
    assertEquals(Optional.of(NOW.plusSeconds(120)), error.retryAt());
    assertEquals("GitHub's API rate limit is used up; it resets at 10:02 UTC (in 2 min).", error.getMessage());
  }

  @Test
  void jobsSayWhichJobsAndStepsFailed() throws Exception {
    github.enqueue(GitHubFixtures.jobsPage(2,
        GitHubFixtures.job(1, "build", "success", GitHubFixtures.step(1, "Set up job", "success")),
        GitHubFixtures.job(2, "deploy", "failure",
            GitHubFixtures.step(1, "Set up job", "success"),
            GitHubFixtures.step(2, "Upload bundle", "failure"),
            GitHubFixtures.step(3, "Smoke test", "skipped"))));

    List<RunJob> jobs = done(client().jobs(9_000_000_007L, deadline()));

    HttpUrl url = github.takeRequest().getUrl();
    assertEquals("/repos/octo-org/deploy-service/actions/runs/9000000007/jobs", url.encodedPath());
    assertEquals("latest", url.queryParameter("filter"));
    assertEquals(List.of("deploy"), jobs.stream().filter(RunJob::failed).map(RunJob::name).toList());
    assertEquals(List.of("Upload bundle"), jobs.get(1).failedSteps().stream().map(RunJob.Step::name).toList());
    assertFalse(jobs.get(0).failed());
    assertEquals(Optional.of(Instant.parse("2026-12-01T10:02:05Z")), jobs.get(1).completedAt());
  }

  @Test
  void jobsPageThroughMoreThanAHundred() throws Exception {
    github.enqueue(GitHubFixtures.jobsPage(101, IntStream.rangeClosed(1, 100)
        .mapToObj(i -> GitHubFixtures.job(i, "matrix " + i, "success")).toArray(ObjectNode[]::new)));
    github.enqueue(GitHubFixtures.jobsPage(101, GitHubFixtures.job(101, "matrix 101", "failure")));

    List<RunJob> jobs = done(client().jobs(9_000_000_007L, deadline()));

    assertEquals(101, jobs.size());
    assertEquals("matrix 101", jobs.get(100).name());
    assertEquals("1", github.takeRequest().getUrl().queryParameter("page"));
    assertEquals("2", github.takeRequest().getUrl().queryParameter("page"));
  }

  @Test
  void digestPagesThroughTheWindowUpToTheBoundAndSaysItWasHit() throws Exception {
    Instant from = NOW.minus(Duration.ofDays(1));
    github.enqueue(GitHubFixtures.runsPage(230, completedRuns(from, 1, 100)));
    github.enqueue(GitHubFixtures.runsPage(230, completedRuns(from, 101, 100)));
    github.enqueue(GitHubFixtures.runsPage(230, completedRuns(from, 201, 30)));

    CompletedRuns digest = done(client().runsCompletedBetween("deploy.yml", from, NOW, 150, deadline()));

    assertEquals(150, digest.runs().size());
    assertTrue(digest.truncated());
    assertEquals(2, github.getRequestCount());
    HttpUrl first = github.takeRequest().getUrl();
    assertEquals(RUNS, first.encodedPath());
    assertEquals("2026-11-30T10:00:00Z..2026-12-01T10:00:00Z", first.queryParameter("created"));
    assertEquals("completed", first.queryParameter("status"));
    assertEquals("100", first.queryParameter("per_page"));
    assertEquals("1", first.queryParameter("page"));
    assertEquals("2", github.takeRequest().getUrl().queryParameter("page"));
  }

  @Test
  void digestWithinTheBoundIsComplete() throws Exception {
    Instant from = NOW.minus(Duration.ofDays(1));
    github.enqueue(GitHubFixtures.runsPage(120, completedRuns(from, 1, 100)));
    github.enqueue(GitHubFixtures.runsPage(120, completedRuns(from, 101, 20)));

    CompletedRuns digest = done(client().runsCompletedBetween("deploy.yml", from, NOW, 500, deadline()));

    assertEquals(120, digest.runs().size());
    assertFalse(digest.truncated());
  }

  @Test
  void digestCountsARunOnceAndOnlyInsideTheWindow() throws Exception {
    Instant from = NOW.minus(Duration.ofDays(1));
    ObjectNode atTheEnd = GitHubFixtures.run(3, "completed", "success", NOW, Duration.ofMinutes(1));
    ObjectNode inside = GitHubFixtures.run(2, "completed", "failure", NOW.minusSeconds(60), Duration.ofMinutes(1));
    ObjectNode stillRunning = GitHubFixtures.run(1, "in_progress", null, NOW.minusSeconds(120), Duration.ZERO);
    github.enqueue(GitHubFixtures.runsPage(3, atTheEnd, inside, inside, stillRunning));

    CompletedRuns digest = done(client().runsCompletedBetween("deploy.yml", from, NOW, 500, deadline()));

    assertEquals(List.of(2L), digest.runs().stream().map(WorkflowRun::runNumber).toList());
  }

  /** {@code count} completed runs created a minute apart inside the day after {@code from}, newest first, numbered from {@code first}. */
  private static ObjectNode[] completedRuns(Instant from, int first, int count) {
    return IntStream.range(first, first + count)
        .mapToObj(n -> GitHubFixtures.run(n, "completed", "success", from.plusSeconds(86_000 - n * 60L), Duration.ofMinutes(2)))
        .toArray(ObjectNode[]::new);
  }

  @Test
  void aDigestOverAnEmptyWindowIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> client().runsCompletedBetween("deploy.yml", NOW, NOW, 500, deadline()));
  }

  @Test
  void aPageWithoutItsListIsABadResponse() {
    github.enqueue(GitHubFixtures.json(200, "{\"total_count\":1}"));

    GitHubException error = failure(client().jobs(1, deadline()));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals("GitHub sent a response without jobs.", error.getMessage());
  }

  @Test
  void readsSendNoTokenWhenNoneIsConfigured() throws Exception {
    github.enqueue(GitHubFixtures.runsPage());

    done(client().findDispatchedRun("deploy.yml", "c-1", NOW, deadline()));

    RecordedRequest request = github.takeRequest();
    assertEquals(null, request.getHeaders().get("Authorization"));
    assertEquals("test", request.getHeaders().get("User-Agent"));
  }
}
