package dev.valine.orchestrator.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockResponse;

/** GitHub REST responses shaped like the real ones (only the fields we read, plus a few we ignore). */
public final class GitHubFixtures {
  private GitHubFixtures() {}

  public static ObjectNode run(long runNumber, String status, String conclusion, Instant started, Duration took) {
    ObjectNode run = Jackson.object()
        .put("id", 9_000_000_000L + runNumber)
        .put("name", "Deploy")
        .put("run_number", runNumber)
        .put("display_title", "Release " + runNumber)
        .put("status", status)
        .put("html_url", "https://github.com/octo-org/deploy-service/actions/runs/" + (9_000_000_000L + runNumber))
        .put("head_branch", "main")
        .put("head_sha", "0123456789abcdef0123456789abcdef01234567")
        .put("event", "push")
        .put("created_at", started.toString())
        .put("run_started_at", started.toString())
        .put("updated_at", started.plus(took).toString());
    if (conclusion == null) {
      run.putNull("conclusion");
    } else {
      run.put("conclusion", conclusion);
    }
    return run;
  }

  public static MockResponse runsPage(ObjectNode... runs) {
    ObjectNode page = Jackson.object().put("total_count", runs.length);
    ArrayNode array = page.putArray("workflow_runs");
    for (ObjectNode run : runs) {
      array.add(run);
    }
    return json(200, Jackson.text(page));
  }

  public static MockResponse workflows(String name, long id) {
    ObjectNode page = Jackson.object().put("total_count", 1);
    page.putArray("workflows").addObject().put("id", id).put("name", name).put("path", ".github/workflows/deploy.yml")
        .put("state", "active");
    return json(200, Jackson.text(page));
  }

  public static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }
}
