package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.testing.GitHubFixtures;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * GitHub on loopback, scripted per test: what dispatches answer, the states a run moves through (one per poll, the
 * last one repeated), what searches for dispatched runs find, and a run's jobs and artifacts. Counts every kind of call.
 */
final class LoopbackGitHub implements AutoCloseable {
  static final String REPO = "octo-org/deploy-service";

  final MockWebServer server = new MockWebServer();
  final List<RecordedRequest> dispatches = new ArrayList<>();
  final List<RecordedRequest> searches = new ArrayList<>();
  final List<RecordedRequest> zips = new ArrayList<>();
  final AtomicInteger polls = new AtomicInteger();
  private final List<MockResponse> dispatchAnswers = new ArrayList<>();
  private final List<MockResponse> runStates = new ArrayList<>();
  private final List<MockResponse> searchAnswers = new ArrayList<>();
  private MockResponse jobs = GitHubFixtures.jobsPage(0);
  private MockResponse artifacts = GitHubFixtures.artifactsPage();
  private MockResponse zip = GitHubFixtures.error(404, "Not Found");

  LoopbackGitHub() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    server.start();
  }

  GitHubClient client(Clock clock) {
    return new GitHubClient(new OkHttpClient(), apiBase(), REPO, Optional.of(new Secret("fake-" + "ops-token")), "test", clock);
  }

  String apiBase() {
    return server.url("/").toString();
  }

  synchronized LoopbackGitHub dispatchAnswers(MockResponse... answers) {
    dispatchAnswers.addAll(List.of(answers));
    return this;
  }

  synchronized LoopbackGitHub runStates(MockResponse... states) {
    runStates.addAll(List.of(states));
    return this;
  }

  synchronized LoopbackGitHub searchAnswers(MockResponse... answers) {
    searchAnswers.addAll(List.of(answers));
    return this;
  }

  synchronized LoopbackGitHub jobs(MockResponse answer) {
    jobs = answer;
    return this;
  }

  synchronized LoopbackGitHub artifacts(MockResponse answer) {
    artifacts = answer;
    return this;
  }

  synchronized LoopbackGitHub zip(MockResponse answer) {
    zip = answer;
    return this;
  }

  synchronized int dispatchCount() {
    return dispatches.size();
  }

  synchronized int searchCount() {
    return searches.size();
  }

  private synchronized MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if ("POST".equals(request.getMethod()) && path.endsWith("/dispatches")) {
      dispatches.add(request);
      return dispatchAnswers.isEmpty() ? GitHubFixtures.error(500, "no dispatch answer scripted") : dispatchAnswers.remove(0);
    }
    if (path.matches(".*/actions/runs/[0-9]+")) {
      polls.incrementAndGet();
      return next(runStates, GitHubFixtures.error(404, "Not Found"));
    }
    if (path.endsWith("/jobs")) {
      return jobs;
    }
    if (path.endsWith("/artifacts")) {
      return artifacts;
    }
    if (path.matches(".*/actions/artifacts/[0-9]+/zip")) {
      zips.add(request);
      return zip;
    }
    if (path.matches(".*/actions/workflows/[^/]+/runs")) {
      searches.add(request);
      return next(searchAnswers, GitHubFixtures.runsPage());
    }
    return GitHubFixtures.error(404, "Not Found");
  }

  /** The next scripted answer; the last one stays. */
  private static MockResponse next(List<MockResponse> answers, MockResponse fallback) {
    if (answers.isEmpty()) {
      return fallback;
    }
    return answers.size() == 1 ? answers.get(0) : answers.remove(0);
  }

  @Override
  public void close() {
    server.close();
  }
}
