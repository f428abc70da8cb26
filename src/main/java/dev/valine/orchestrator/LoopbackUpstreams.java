package dev.valine.orchestrator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitHub and Discord stand-ins on 127.0.0.1 with canned answers: every GitHub request gets a page of
 * three workflow runs, every Discord request a message that still shows "thinking…". SnapStart priming points a throwaway
 * app at them, so the request path runs in full before the snapshot without touching the network; the
 * cold-start benchmark uses the GitHub one.
 */
public final class LoopbackUpstreams implements AutoCloseable {
  // A reply still "thinking…" (flag LOADING), so a primed deferred job runs to its edit.
  private static final byte[] DISCORD_MESSAGE = "{\"id\":\"1\",\"flags\":128}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private LoopbackUpstreams(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port ({@code port} 0) or the given one. */
  public static LoopbackUpstreams start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    LoopbackUpstreams upstreams = new LoopbackUpstreams(server);
    server.createContext("/", exchange -> {
      upstreams.requests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] body = exchange.getRequestURI().getPath().startsWith("/discord") ? DISCORD_MESSAGE : runsPage();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return upstreams;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL to use as {@code GITHUB_API_BASE}. */
  public String githubBase() {
    return "http://127.0.0.1:" + port() + "/github";
  }

  /** The base URL to use as {@code DISCORD_API_BASE}. */
  public String discordBase() {
    return "http://127.0.0.1:" + port() + "/discord";
  }

  /** How many requests it has answered. */
  public int requests() {
    return requests.get();
  }

  /** Three runs of a "Deploy" workflow: a success, a failure and one in progress. */
  public static byte[] runsPage() {
    ObjectNode page = Jackson.object().put("total_count", 3);
    ArrayNode runs = page.putArray("workflow_runs");
    Instant now = Instant.now();
    String[][] states = {{"completed", "success"}, {"completed", "failure"}, {"in_progress", null}};
    for (int i = 0; i < states.length; i++) {
      Instant started = now.minus(Duration.ofMinutes(10L * (i + 1)));
      ObjectNode run = runs.addObject().put("id", 9_000_000_000L + i).put("name", "Deploy").put("run_number", 412 - i)
          .put("display_title", "Release " + (412 - i)).put("status", states[i][0])
          .put("html_url", "https://github.com/octo-org/deploy-service/actions/runs/" + (9_000_000_000L + i))
          .put("head_branch", "main").put("event", "push").put("created_at", started.toString())
          .put("run_started_at", started.toString()).put("updated_at", started.plusSeconds(95).toString());
      if (states[i][1] == null) {
        run.putNull("conclusion");
      } else {
        run.put("conclusion", states[i][1]);
      }
    }
    return Jackson.bytes(page);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
