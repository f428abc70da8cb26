package dev.valine.orchestrator.testing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import mockwebserver3.MockResponse;
import okio.Buffer;

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

  /** A queued run started by a workflow dispatch whose {@code run-name} gave it {@code title}. */
  public static ObjectNode dispatchedRun(long runNumber, String title, Instant created) {
    return run(runNumber, "queued", null, created, Duration.ZERO)
        .put("event", "workflow_dispatch")
        .put("display_title", title);
  }

  public static MockResponse runsPage(ObjectNode... runs) {
    return runsPage(runs.length, runs);
  }

  /** One page of a longer list: {@code total_count} counts every page. */
  public static MockResponse runsPage(long totalCount, ObjectNode... runs) {
    ObjectNode page = Jackson.object().put("total_count", totalCount);
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

  /** The answer to a dispatch with {@code return_run_details: true}. */
  public static MockResponse runDetails(long runId) {
    return json(200, Jackson.text(Jackson.object()
        .put("workflow_run_id", runId)
        .put("run_url", "https://api.github.com/repos/octo-org/deploy-service/actions/runs/" + runId)
        .put("html_url", "https://github.com/octo-org/deploy-service/actions/runs/" + runId)));
  }

  public static MockResponse noContent() {
    return new MockResponse.Builder().code(204).build();
  }

  /** GitHub's error body: {@code {"message": …, "documentation_url": …}}. */
  public static MockResponse error(int code, String message) {
    return json(code, Jackson.text(Jackson.object().put("message", message)
        .put("documentation_url", "https://docs.github.com/rest")));
  }

  public static ObjectNode job(long id, String name, String conclusion, ObjectNode... steps) {
    ObjectNode job = Jackson.object()
        .put("id", id)
        .put("run_id", 9_000_000_007L)
        .put("name", name)
        .put("status", "completed")
        .put("conclusion", conclusion)
        .put("html_url", "https://github.com/octo-org/deploy-service/actions/runs/9000000007/job/" + id)
        .put("started_at", "2026-12-01T10:00:05Z")
        .put("completed_at", "2026-12-01T10:02:05Z");
    ArrayNode array = job.putArray("steps");
    for (ObjectNode step : steps) {
      array.add(step);
    }
    return job;
  }

  public static ObjectNode step(int number, String name, String conclusion) {
    return Jackson.object().put("name", name).put("number", number).put("status", "completed").put("conclusion", conclusion);
  }

  public static MockResponse jobsPage(long totalCount, ObjectNode... jobs) {
    ObjectNode page = Jackson.object().put("total_count", totalCount);
    ArrayNode array = page.putArray("jobs");
    for (ObjectNode job : jobs) {
      array.add(job);
    }
    return json(200, Jackson.text(page));
  }

  public static ObjectNode artifact(long id, String name, long size, boolean expired) {
    return Jackson.object()
        .put("id", id)
        .put("node_id", "MDg6QXJ0aWZhY3Qx")
        .put("name", name)
        .put("size_in_bytes", size)
        .put("url", "https://api.github.com/repos/octo-org/deploy-service/actions/artifacts/" + id)
        .put("archive_download_url", "https://api.github.com/repos/octo-org/deploy-service/actions/artifacts/" + id + "/zip")
        .put("expired", expired);
  }

  public static MockResponse artifactsPage(ObjectNode... artifacts) {
    ObjectNode page = Jackson.object().put("total_count", artifacts.length);
    ArrayNode array = page.putArray("artifacts");
    for (ObjectNode artifact : artifacts) {
      array.add(artifact);
    }
    return json(200, Jackson.text(page));
  }

  public static MockResponse variable(String name, String value) {
    return json(200, Jackson.text(Jackson.object().put("name", name).put("value", value)
        .put("created_at", "2026-11-01T09:00:00Z").put("updated_at", "2026-11-20T09:00:00Z")));
  }

  /** A zip archive of the given entries, deflated, as upload-artifact makes them. */
  public static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static MockResponse bytes(int code, byte[] body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/zip").body(new Buffer().write(body)).build();
  }

  /** Waits for a GitHub call that must fail, and returns how: the client completes it with a {@link GitHubException}. */
  public static GitHubException failure(CompletableFuture<?> call) {
    ExecutionException thrown = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(GitHubException.class, thrown.getCause());
  }

  public static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }
}
