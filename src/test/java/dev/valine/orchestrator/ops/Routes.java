package dev.valine.orchestrator.ops;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher that answers by path, so that requests made in parallel get the right answer whatever
 * their order. A path given several responses serves them in turn and then repeats the last; any other path gets {@link #otherwise}, 404 unless set.
 */
final class Routes extends Dispatcher {
  private final Map<String, Queue<MockResponse>> routes = new ConcurrentHashMap<>();
  private final Queue<String> asked = new ConcurrentLinkedQueue<>();
  private volatile MockResponse otherwise = new MockResponse.Builder().code(404).body("{\"message\":\"Not Found\"}").build();

  Routes on(String path, MockResponse... responses) {
    routes.put(path, new ConcurrentLinkedQueue<>(List.of(responses)));
    return this;
  }

  /** The answer for every path not given one. */
  Routes otherwise(MockResponse response) {
    otherwise = response;
    return this;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    asked.add(path + (request.getUrl().encodedQuery() == null ? "" : "?" + request.getUrl().encodedQuery()));
    Queue<MockResponse> responses = routes.get(path);
    if (responses == null) {
      return otherwise;
    }
    synchronized (responses) {
      return responses.size() > 1 ? responses.poll() : responses.peek();
    }
  }

  /** Paths with their queries, in the order they were asked for. */
  List<String> asked() {
    return List.copyOf(asked);
  }

  long count(String path) {
    return asked.stream().filter(seen -> seen.equals(path) || seen.startsWith(path + "?")).count();
  }
}
