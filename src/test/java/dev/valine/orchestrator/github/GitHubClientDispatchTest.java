package dev.valine.orchestrator.github;

import static dev.valine.orchestrator.testing.GitHubFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubClientDispatchTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String DISPATCHES = "/repos/octo-org/deploy-service/actions/workflows/deploy.yml/dispatches";
  private static final Map<String, String> INPUTS = Map.of("correlation_id", "c-7f3a", "requester", "ana");

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);
  private final Secret token = new Secret("fake-" + "dispatch-token");
  // Lets held requests go at the end of a test, so the server can stop.
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

  private GitHubClient client(OkHttpClient http) {
    return new GitHubClient(http, github.url("/").toString(), "octo-org/deploy-service", Optional.of(token), "test", time);
  }

  private GitHubClient client() {
    return client(new OkHttpClient());
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  private static JsonNode body(RecordedRequest request) throws Exception {
    return Jackson.parse(request.getBody().utf8());
  }

  @Test
  void dispatchReturnsTheRunGitHubNames() throws Exception {
    github.enqueue(GitHubFixtures.runDetails(9_000_000_042L));

    DispatchResult result = client().dispatch("deploy.yml", "main", INPUTS, deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(Optional.of(9_000_000_042L), result.runId());
    assertEquals(Optional.of("https://github.com/octo-org/deploy-service/actions/runs/9000000042"), result.htmlUrl());
    assertEquals(NOW, result.requestedAt());
    RecordedRequest request = github.takeRequest();
    assertEquals("POST", request.getMethod());
    assertEquals(DISPATCHES, request.getUrl().encodedPath());
    assertEquals("Bearer " + token.reveal(), request.getHeaders().get("Authorization"));
    assertEquals("application/vnd.github+json", request.getHeaders().get("Accept"));
    assertEquals("2022-11-28", request.getHeaders().get("X-GitHub-Api-Version"));
    assertEquals(Jackson.parse("{\"ref\":\"main\",\"inputs\":{\"correlation_id\":\"c-7f3a\",\"requester\":\"ana\"},"
        + "\"return_run_details\":true}"), body(request));
  }

  @Test
  void aDispatchAnswered204LeavesTheRunUnknown() throws Exception {
    github.enqueue(GitHubFixtures.noContent());

    DispatchResult result = client().dispatch("deploy.yml", "main", INPUTS, deadline()).get(10, TimeUnit.SECONDS);

    assertFalse(result.runKnown());
    assertEquals("dispatched, run id unknown", result.describe());
  }

  @Test
  void anOlderGitHubEnterpriseThatRefusesTheFieldGetsTheDispatchOnceMoreWithoutIt() throws Exception {
    github.enqueue(GitHubFixtures.error(400, "Invalid request.\n\n\"return_run_details\" is not a permitted key."));
    github.enqueue(GitHubFixtures.noContent());

    DispatchResult result = client().dispatch("deploy.yml", "main", INPUTS, deadline()).get(10, TimeUnit.SECONDS);

    assertFalse(result.runKnown());
    assertTrue(body(github.takeRequest()).has("return_run_details"));
    JsonNode second = body(github.takeRequest());
    assertFalse(second.has("return_run_details"), "sent again without the field");
    assertEquals("c-7f3a", second.path("inputs").path("correlation_id").asText());
    assertEquals(2, github.getRequestCount());
  }

  @Test
  void anyOther400IsNotSentAgain() {
    github.enqueue(GitHubFixtures.error(400, "Problems parsing JSON"));
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void theFieldIsDroppedOnlyOnce() {
    github.enqueue(GitHubFixtures.error(400, "\"return_run_details\" is not a permitted key."));
    github.enqueue(GitHubFixtures.error(400, "\"return_run_details\" is not a permitted key."));
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(400, error.httpStatus().orElseThrow());
    assertEquals(2, github.getRequestCount());
  }

  @Test
  void dispatchesAWorkflowGivenByItsDisplayName() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getUrl().encodedPath().endsWith("/actions/workflows")) {
          return GitHubFixtures.workflows("Deploy client", 11);
        }
        return request.getUrl().encodedPath().endsWith("/actions/workflows/11/dispatches")
            ? GitHubFixtures.runDetails(5) : GitHubFixtures.error(404, "Not Found");
      }
    });

    DispatchResult result = client().dispatch("Deploy client", "main", INPUTS, deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(Optional.of(5L), result.runId());
  }

  /** Finding a workflow by its display name is a call before the dispatch: when it fails, nothing was dispatched. */
  @Test
  void aFailedLookupOfTheWorkflowsNameSaysNothingWasDispatched() {
    github.enqueue(GitHubFixtures.error(502, "Bad Gateway"));

    GitHubException error = failure(client().dispatch("Deploy client", "main", INPUTS, deadline()));

    assertEquals(Kind.SERVER_ERROR, error.kind());
    assertTrue(error.neverSent(), "a caller must not tell the user the workflow may have started");
    assertTrue(error.getMessage().endsWith("Nothing was dispatched."), error.getMessage());
    assertEquals(1, github.getRequestCount(), "only the workflow list was asked for");
  }

  @Test
  void aDispatchThatGitHubFailedAfterItWasSentMayHaveStarted() {
    github.enqueue(GitHubFixtures.error(502, "Bad Gateway"));

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertFalse(error.neverSent());
  }

  @Test
  void anUnknownWorkflowIsNamed() {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.NOT_FOUND, error.kind());
    assertEquals("GitHub found no workflow `deploy.yml` in octo-org/deploy-service (HTTP 404). Check the name, or whether the "
        + "token can see the repository.", error.getMessage());
  }

  @Test
  void inputsTheWorkflowDoesNotDeclareAreNamedWithTheFix() {
    github.enqueue(GitHubFixtures.error(422, "Unexpected inputs provided: [\"requester\"]"));

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.INVALID_REQUEST, error.kind());
    assertEquals("GitHub rejected the request for workflow `deploy.yml` in octo-org/deploy-service (HTTP 422): \"Unexpected "
        + "inputs provided: [\"requester\"]\". The workflow does not declare these inputs: add them under "
        + "`on: workflow_dispatch: inputs:` in the workflow file on that ref, or stop sending them.", error.getMessage());
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void aTokenWithoutActionsWriteIsToldWhichPermissionItLacks() {
    github.enqueue(new MockResponse.Builder(GitHubFixtures.error(403, "Resource not accessible by personal access token"))
        .setHeader("x-ratelimit-remaining", "4999").build());

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertTrue(error.kind().isOperational());
    assertEquals("GitHub refused access to workflow `deploy.yml` in octo-org/deploy-service (HTTP 403). The token needs write "
        + "access to Actions (a fine-grained token needs Actions \"Read and write\", a classic token the repo scope) on that repository.",
        error.getMessage());
  }

  @Test
  void aRateLimitedDispatchSaysWhenToRetryAndIsNotRetried() {
    Instant reset = NOW.plus(Duration.ofMinutes(7));
    github.enqueue(new MockResponse.Builder(GitHubFixtures.error(403, "API rate limit exceeded for user ID 1."))
        .setHeader("x-ratelimit-remaining", "0").setHeader("x-ratelimit-reset", Long.toString(reset.getEpochSecond())).build());
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.RATE_LIMITED, error.kind());
    assertEquals(Optional.of(reset), error.retryAt());
    assertEquals("GitHub's API rate limit is used up; it resets at 10:07 UTC (in 7 min).", error.getMessage());
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void aDispatchThatTimesOutIsNotSentAgain() throws Exception {
    AtomicInteger dispatches = new AtomicInteger();
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if ("POST".equals(request.getMethod())) {
          dispatches.incrementAndGet();
          // GitHub takes 4 s of our clock, then never answers within the command's budget.
          time.advance(Duration.ofSeconds(4));
          release.await(10, TimeUnit.SECONDS);
          return GitHubFixtures.noContent();
        }
        return GitHubFixtures.json(200, GitHubFixtures.run(7, "queued", null, NOW, Duration.ZERO).toString());
      }
    });
    GitHubClient client = client();

    GitHubException error = failure(client.dispatch("deploy.yml", "main", INPUTS, Deadline.of(NOW, Duration.ofMillis(300), time)));

    assertEquals(Kind.TIMEOUT, error.kind());
    assertEquals("GitHub did not answer within 4.0 s. The workflow may have started anyway: look at its runs on GitHub before "
        + "dispatching again.", error.getMessage());
    // Anything the client would still send now would reach GitHub before this read is answered.
    client.run(9_000_000_007L, deadline()).get(10, TimeUnit.SECONDS);
    assertEquals(1, dispatches.get());
  }

  @Test
  void aDispatchGitHubAsksToRepeatWith503IsNotRepeated() {
    // OkHttp repeats a request on its own after "503, Retry-After: 0" unless the body is one-shot.
    github.enqueue(new MockResponse.Builder(GitHubFixtures.error(503, "Service Unavailable")).setHeader("Retry-After", "0").build());
    github.enqueue(GitHubFixtures.noContent());

    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.SERVER_ERROR, error.kind());
    assertEquals("GitHub is having trouble (HTTP 503). The workflow may have started anyway: look at its runs on GitHub before "
        + "dispatching again.", error.getMessage());
    assertEquals(1, github.getRequestCount());
  }

  @Test
  void okHttpRepeatsAPostWhosePooledConnectionDropsUnlessTold() throws Exception {
    // The premise of the next test: a plain OkHttp POST reaches the server twice.
    github.enqueue(GitHubFixtures.json(200, "{}"));
    github.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    github.enqueue(GitHubFixtures.noContent());
    OkHttpClient plain = new OkHttpClient();
    plain.newCall(new Request.Builder().url(github.url("/warm")).build()).execute().close();

    try (Response response = plain.newCall(new Request.Builder().url(github.url(DISPATCHES))
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build()).execute()) {
      assertEquals(204, response.code());
    }

    assertEquals(3, github.getRequestCount(), "the warm-up, the POST, and the same POST again");
  }

  @Test
  void aDispatchWhoseConnectionDropsAfterSendingIsNotRepeated() throws Exception {
    github.enqueue(GitHubFixtures.json(200, GitHubFixtures.run(7, "queued", null, NOW, Duration.ZERO).toString()));
    github.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    github.enqueue(GitHubFixtures.noContent());
    GitHubClient client = client();
    // A pooled connection, as in production, where OkHttp would otherwise retry.
    client.run(9_000_000_007L, deadline()).get(10, TimeUnit.SECONDS);

    GitHubException error = failure(client.dispatch("deploy.yml", "main", INPUTS, deadline()));

    assertEquals(Kind.NETWORK, error.kind());
    assertTrue(error.getMessage().endsWith("The workflow may have started anyway: look at its runs on GitHub before dispatching again."),
        error.getMessage());
    assertEquals(2, github.getRequestCount(), "the read and one dispatch");
  }

  @Test
  void aSpentDeadlineSendsNothing() {
    GitHubException error = failure(client().dispatch("deploy.yml", "main", INPUTS, Deadline.of(NOW, Duration.ZERO, time)));

    assertEquals(Kind.TIMEOUT, error.kind());
    assertEquals("GitHub did not answer in time. Try again in a moment.", error.getMessage());
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void cancellingADispatchAbortsItsHttpCall() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        received.countDown();
        release.await(10, TimeUnit.SECONDS);
        return GitHubFixtures.noContent();
      }
    });
    List<String> cancelled = new CopyOnWriteArrayList<>();
    OkHttpClient observed = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void canceled(Call call) {
        cancelled.add(call.request().url().encodedPath());
      }
    }).build();
    CompletableFuture<DispatchResult> dispatch = client(observed).dispatch("deploy.yml", "main", INPUTS, deadline());
    assertTrue(received.await(10, TimeUnit.SECONDS));

    dispatch.cancel(true);

    assertEquals(List.of(DISPATCHES), cancelled);
  }
}
