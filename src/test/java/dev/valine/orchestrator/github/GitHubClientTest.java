package dev.valine.orchestrator.github;

import static dev.valine.orchestrator.testing.GitHubFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubClientTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);
  // Lets held requests go at the end of a test, so the server can stop.
  private final CountDownLatch release = new CountDownLatch(1);
  // Paths of the HTTP calls the client cancelled, as OkHttp reports them.
  private final List<String> cancelled = new CopyOnWriteArrayList<>();
  private final OkHttpClient observed = new OkHttpClient.Builder().eventListener(new EventListener() {
    @Override
    public void canceled(Call call) {
      cancelled.add(call.request().url().encodedPath());
    }
  }).build();

  @BeforeEach
  void start() throws Exception {
    github.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    github.close();
  }

  /** GitHub that holds the workflow list and every runs page until the test ends, and counts the requests it gets. */
  private CountDownLatch holdEverything(int requests) {
    CountDownLatch received = new CountDownLatch(requests);
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        received.countDown();
        release.await(10, TimeUnit.SECONDS);
        return GitHubFixtures.json(200, "{\"total_count\":2,\"workflows\":[{\"id\":11,\"name\":\"Deploy\"},{\"id\":12,\"name\":\"Rollback\"}]}");
      }
    });
    return received;
  }

  private GitHubClient client(OkHttpClient http) {
    return new GitHubClient(http, github.url("/").toString(), "octo-org/deploy-service", Optional.empty(), "test", time);
  }

  @Test
  void refusesAChunkedBodyOverTheLimitWithoutReadingItAll() {
    // No Content-Length: the size shows only while reading.
    String huge = "{\"workflow_runs\":[\"" + "x".repeat(3 * 1024 * 1024) + "\"]}";
    github.enqueue(new MockResponse.Builder().code(200).chunkedBody(huge, 64 * 1024).build());

    GitHubException error = failure(client(new OkHttpClient()).recentRuns("deploy.yml", 5,
        Deadline.of(NOW, Duration.ofSeconds(30), time)));

    assertEquals(GitHubException.Kind.BAD_RESPONSE, error.kind());
    assertEquals("GitHub sent an unexpectedly large response.", error.getMessage());
  }

  @Test
  void readsAChunkedBodyUnderTheLimit() throws Exception {
    github.enqueue(new MockResponse.Builder().code(200).chunkedBody(
        "{\"total_count\":1,\"workflow_runs\":[{\"id\":1,\"name\":\"Deploy\",\"run_number\":7,\"status\":\"completed\"}]}", 16).build());

    List<WorkflowRun> runs = client(new OkHttpClient()).recentRuns("deploy.yml", 5, Deadline.of(NOW, Duration.ofSeconds(30), time))
        .get(10, TimeUnit.SECONDS);

    assertEquals(1, runs.size());
    assertEquals(7, runs.get(0).runNumber());
  }

  @Test
  void saysHowLongItReallyWaitedNotTheBudget() {
    // The server takes 4 s of our clock, then stalls; the client's own read timeout strikes first.
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        time.advance(Duration.ofSeconds(4));
        return new MockResponse.Builder().code(200).headersDelay(30, TimeUnit.SECONDS).build();
      }
    });
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(200)).build();

    GitHubException error = failure(client(http).recentRuns("deploy.yml", 5, Deadline.of(NOW, Duration.ofMillis(57_900), time)));

    assertEquals(GitHubException.Kind.TIMEOUT, error.kind());
    assertEquals("GitHub did not answer within 4.0 s. Try again in a moment.", error.getMessage());
  }

  @Test
  void aCallThatOutlivesTheDeadlineIsATimeoutNotACancellation() {
    // OkHttp marks a call whose own timeout struck as cancelled; nobody cancelled this one.
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        time.advance(Duration.ofSeconds(2));
        release.await(10, TimeUnit.SECONDS);
        return GitHubFixtures.runsPage();
      }
    });

    GitHubException error = failure(client(new OkHttpClient()).recentRuns("deploy.yml", 5, Deadline.of(NOW, Duration.ofMillis(300), time)));

    assertEquals(GitHubException.Kind.TIMEOUT, error.kind());
    assertEquals("GitHub did not answer within 2.0 s. Try again in a moment.", error.getMessage());
  }

  @Test
  void looksUpTheWorkflowListOnceForSeveralNamesAtOnce() throws Exception {
    AtomicInteger listings = new AtomicInteger();
    CountDownLatch bothAsked = new CountDownLatch(1);
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        if (path.endsWith("/actions/workflows")) {
          listings.incrementAndGet();
          // Hold the list until the second lookup has been asked for, so both overlap.
          bothAsked.await(10, TimeUnit.SECONDS);
          return GitHubFixtures.json(200, "{\"total_count\":2,\"workflows\":[{\"id\":11,\"name\":\"Deploy\"},{\"id\":12,\"name\":\"Rollback\"}]}");
        }
        return GitHubFixtures.runsPage(GitHubFixtures.run(path.contains("/11/") ? 1 : 2, "completed", "success", NOW, Duration.ofMinutes(1)));
      }
    });
    GitHubClient client = client(new OkHttpClient());
    Deadline deadline = Deadline.of(NOW, Duration.ofSeconds(30), time);

    CompletableFuture<List<WorkflowRun>> deploy = client.recentRuns("Deploy", 1, deadline);
    CompletableFuture<List<WorkflowRun>> rollback = client.recentRuns("Rollback", 1, deadline);
    bothAsked.countDown();

    assertEquals(1, deploy.get(10, TimeUnit.SECONDS).get(0).runNumber());
    assertEquals(2, rollback.get(10, TimeUnit.SECONDS).get(0).runNumber());
    assertEquals(1, listings.get(), "one request for the workflow list");
  }

  @Test
  void aLookupWithALongerBudgetDoesNotJoinAListRequestThatWillTimeOutSooner() throws Exception {
    AtomicInteger listings = new AtomicInteger();
    CountDownLatch firstGaveUp = new CountDownLatch(1);
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        if (path.endsWith("/actions/workflows")) {
          // List requests are answered only after the hurried lookup's short budget has run out.
          listings.incrementAndGet();
          firstGaveUp.await(10, TimeUnit.SECONDS);
          return GitHubFixtures.json(200, "{\"total_count\":1,\"workflows\":[{\"id\":11,\"name\":\"Deploy\"}]}");
        }
        return GitHubFixtures.runsPage(GitHubFixtures.run(3, "completed", "success", NOW, Duration.ofMinutes(1)));
      }
    });
    GitHubClient client = client(new OkHttpClient());

    CompletableFuture<List<WorkflowRun>> hurried = client.recentRuns("Deploy", 1, Deadline.of(NOW, Duration.ofMillis(300), time));
    CompletableFuture<List<WorkflowRun>> patient = client.recentRuns("Deploy", 1, Deadline.of(NOW, Duration.ofSeconds(30), time));
    assertEquals(GitHubException.Kind.TIMEOUT, failure(hurried).kind());
    firstGaveUp.countDown();

    assertEquals(3, patient.get(10, TimeUnit.SECONDS).get(0).runNumber(), "the patient lookup waited on its own budget");
    assertEquals(2, listings.get(), "it asked for the list itself");
  }

  @Test
  void cancellingTheFutureAbortsItsHttpCall() throws Exception {
    CountDownLatch received = holdEverything(1);
    CompletableFuture<List<WorkflowRun>> runs = client(observed).recentRuns("deploy.yml", 5, Deadline.of(NOW, Duration.ofSeconds(30), time));
    assertTrue(received.await(10, TimeUnit.SECONDS), "the request reached GitHub");

    runs.cancel(true);

    assertEquals(List.of("/repos/octo-org/deploy-service/actions/workflows/deploy.yml/runs"), cancelled);
  }

  @Test
  void cancellingALookupByNameAbortsTheWorkflowListItWaitsFor() throws Exception {
    CountDownLatch received = holdEverything(1);
    CompletableFuture<List<WorkflowRun>> runs = client(observed).recentRuns("Deploy", 5, Deadline.of(NOW, Duration.ofSeconds(30), time));
    assertTrue(received.await(10, TimeUnit.SECONDS), "the workflow list was asked for");

    runs.cancel(true);

    assertEquals(List.of("/repos/octo-org/deploy-service/actions/workflows"), cancelled);
  }

  @Test
  void aSharedWorkflowListKeepsRunningForTheLookupStillWaiting() throws Exception {
    CountDownLatch received = holdEverything(1);
    GitHubClient client = client(observed);
    Deadline deadline = Deadline.of(NOW, Duration.ofSeconds(30), time);
    CompletableFuture<List<WorkflowRun>> deploy = client.recentRuns("Deploy", 1, deadline);
    CompletableFuture<List<WorkflowRun>> rollback = client.recentRuns("Rollback", 1, deadline);
    assertTrue(received.await(10, TimeUnit.SECONDS));

    deploy.cancel(true);

    assertEquals(List.of(), cancelled, "Rollback still waits for the list");
    rollback.cancel(true);
    assertEquals(List.of("/repos/octo-org/deploy-service/actions/workflows"), cancelled, "the last one out cancels it");
  }

  @Test
  void aCallStartedAfterCancellationIsAbortedAtOnce() throws Exception {
    // The workflow list arrives; the runs request it leads to would start after the lookup was cancelled.
    CountDownLatch listAsked = new CountDownLatch(1);
    CountDownLatch listGo = new CountDownLatch(1);
    AtomicInteger runsRequests = new AtomicInteger();
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getUrl().encodedPath().endsWith("/actions/workflows")) {
          listAsked.countDown();
          listGo.await(10, TimeUnit.SECONDS);
          return GitHubFixtures.json(200, "{\"total_count\":1,\"workflows\":[{\"id\":11,\"name\":\"Deploy\"}]}");
        }
        runsRequests.incrementAndGet();
        return GitHubFixtures.runsPage();
      }
    });
    GitHubClient client = client(observed);
    Deadline deadline = Deadline.of(NOW, Duration.ofSeconds(30), time);
    CompletableFuture<List<WorkflowRun>> first = client.recentRuns("Deploy", 1, deadline);
    CompletableFuture<List<WorkflowRun>> second = client.recentRuns("Deploy", 1, deadline);
    assertTrue(listAsked.await(10, TimeUnit.SECONDS));

    first.cancel(true);
    listGo.countDown();

    assertEquals(List.of(), second.get(10, TimeUnit.SECONDS), "the other lookup still gets its (empty) page of runs");
    assertEquals(1, runsRequests.get(), "the cancelled lookup never asks for its runs");
  }
}
