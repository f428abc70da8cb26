package dev.valine.orchestrator.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.github.GitHubException.Kind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * GitHub's JSON to our records. Lenient about fields (GitHub adds and omits them at will), strict about the
 * shape we asked for: a page without its array is a {@link Kind#BAD_RESPONSE}, thrown wrapped so that it can
 * complete a future from inside {@code thenApply}.
 */
final class GitHubJson {
  private GitHubJson() {}

  /** The array field of a list page, e.g. {@code workflow_runs}, {@code jobs}, {@code artifacts}. */
  static JsonNode array(JsonNode page, String field) {
    JsonNode array = page.path(field);
    if (!array.isArray()) {
      throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, 200, "GitHub sent a response without " + field + "."));
    }
    return array;
  }

  static List<WorkflowRun> runs(JsonNode page) {
    JsonNode array = page.path("workflow_runs");
    if (!array.isArray()) {
      throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, 200, "GitHub sent a response without workflow runs."));
    }
    List<WorkflowRun> runs = new ArrayList<>(array.size());
    array.forEach(run -> runs.add(run(run)));
    return runs;
  }

  static WorkflowRun run(JsonNode run) {
    Instant created = instant(run.path("created_at")).orElse(Instant.EPOCH);
    Instant started = instant(run.path("run_started_at")).orElse(created);
    return new WorkflowRun(
        run.path("id").asLong(),
        run.path("name").asText(""),
        run.path("run_number").asLong(),
        run.path("display_title").asText(""),
        lower(run.path("status")).orElse(""),
        lower(run.path("conclusion")),
        run.path("html_url").asText(""),
        run.path("head_branch").asText(""),
        run.path("event").asText(""),
        started,
        instant(run.path("updated_at")).orElse(started),
        created);
  }

  static RunJob job(JsonNode job) {
    List<RunJob.Step> steps = new ArrayList<>();
    for (JsonNode step : job.path("steps")) {
      steps.add(new RunJob.Step(step.path("name").asText(""), step.path("number").asInt(), lower(step.path("status")).orElse(""),
          lower(step.path("conclusion"))));
    }
    return new RunJob(
        job.path("id").asLong(),
        job.path("name").asText(""),
        lower(job.path("status")).orElse(""),
        lower(job.path("conclusion")),
        job.path("html_url").asText(""),
        instant(job.path("started_at")),
        instant(job.path("completed_at")),
        steps);
  }

  static Artifact artifact(JsonNode artifact) {
    return new Artifact(artifact.path("id").asLong(), artifact.path("name").asText(""), artifact.path("size_in_bytes").asLong(),
        artifact.path("expired").asBoolean(false));
  }

  private static Optional<String> lower(JsonNode value) {
    return Optional.ofNullable(value.textValue()).map(text -> text.toLowerCase(Locale.ROOT));
  }

  static Optional<Instant> instant(JsonNode value) {
    if (!value.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
