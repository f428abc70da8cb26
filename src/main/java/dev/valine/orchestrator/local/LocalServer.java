package dev.valine.orchestrator.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.valine.orchestrator.endpoint.HttpRequest;
import dev.valine.orchestrator.endpoint.HttpResponse;
import dev.valine.orchestrator.endpoint.InteractionEndpoint;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local interactions endpoint on 127.0.0.1: a thin adapter from the JDK's HTTP server to the same
 * {@link InteractionEndpoint} object Lambda uses. {@code POST /interactions}, {@code GET /health}.
 * Close it to stop; tests start it on port 0.
 */
public final class LocalServer implements AutoCloseable {
  private static final int WORKERS = 16;
  // Back-pressure instead of unbounded memory: past this many waiting requests the accepting thread
  // handles one itself, which slows accepting new connections.
  private static final int QUEUE = 512;

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final InteractionEndpoint endpoint;
  private final Clock clock;
  private final byte[] health;

  private LocalServer(HttpServer server, ThreadPoolExecutor workers, InteractionEndpoint endpoint, Clock clock, byte[] health) {
    this.server = server;
    this.workers = workers;
    this.endpoint = endpoint;
    this.clock = clock;
    this.health = health;
  }

  /**
   * @param port 0 for any free port
   * @throws IOException if the port is taken
   */
  public static LocalServer start(InteractionEndpoint endpoint, int port, String version, String stage, Clock clock) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), runnable -> {
          Thread thread = new Thread(runnable, "local-http-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    byte[] health = Jackson.bytes(Jackson.object().put("status", "ok").put("version", version).put("stage", stage));
    LocalServer local = new LocalServer(server, workers, endpoint, clock, health);
    server.createContext("/", local::serve);
    server.setExecutor(workers);
    server.start();
    return local;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      HttpResponse response;
      if (path.equals("/health")) {
        response = "GET".equals(exchange.getRequestMethod()) ? HttpResponse.json(200, health) : HttpResponse.error(405, "use GET for /health");
      } else if (path.equals("/interactions")) {
        response = endpoint.handle(new HttpRequest(exchange.getRequestMethod(), path, headers(exchange),
            readBounded(exchange.getRequestBody()), Optional.of(clock.instant())));
      } else {
        response = HttpResponse.error(404, "not found: use POST /interactions or GET /health");
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!header.getValue().isEmpty()) {
        headers.put(header.getKey(), header.getValue().get(0));
      }
    }
    return headers;
  }

  /** Reads at most one byte past the limit: enough for the endpoint to answer 413 without buffering more. */
  private static byte[] readBounded(InputStream body) throws IOException {
    return body.readNBytes(InteractionEndpoint.MAX_BODY_BYTES + 1);
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
