package dev.valine.orchestrator.probe;

import com.sun.net.httpserver.HttpServer;
import dev.valine.orchestrator.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * GitHub on loopback for benchmarks: answers every runs request with three realistic runs. Prints its
 * port, then serves until killed. Usage: {@code FakeGitHub <port>} (0 for any free port).
 */
public final class FakeGitHub {
  private FakeGitHub() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 50);
    server.createContext("/", exchange -> {
      byte[] body = runsPage();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("FAKE_GITHUB_PORT=" + server.getAddress().getPort());
    System.out.flush();
  }

  static byte[] runsPage() {
    var page = Json.object().put("total_count", 3);
    var runs = page.putArray("workflow_runs");
    Instant now = Instant.now();
    String[][] states = {{"completed", "success"}, {"completed", "failure"}, {"in_progress", null}};
    for (int i = 0; i < 3; i++) {
      Instant started = now.minus(Duration.ofMinutes(10L * (i + 1)));
      var run = runs.addObject().put("id", 9_000_000_000L + i).put("name", "Deploy").put("run_number", 412 - i)
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
    return Json.text(page).getBytes(StandardCharsets.UTF_8);
  }
}
