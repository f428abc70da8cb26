package dev.valine.orchestrator.ops;

import static dev.valine.orchestrator.ops.OpsFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.GitHubFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiagnoseCommandTest {
  private static final long RUN_ID = 9_000_000_042L;

  private final OpsFixture ops = new OpsFixture();
  private LoopbackGitHub github;
  private DiagnoseCommand command;

  @BeforeEach
  void start() throws Exception {
    github = new LoopbackGitHub();
    command = new DiagnoseCommand(Optional.of(() -> github.client(ops.time)), github.apiBase(), false, ops.settings, ops.permissions,
        () -> ops.urls, ops.metrics, ops.time, ops.time);
    github.dispatchAnswers(GitHubFixtures.runDetails(RUN_ID)).runStates(
        GitHubFixtures.json(200, Jackson.text(GitHubFixtures.run(42, "completed", "success", NOW.plusSeconds(2), Duration.ofSeconds(40)))));
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private String diagnose(Map<String, String> options) throws Exception {
    return command.handle(ops.context(OpsFixture.byOperator("diagnose", options))).content();
  }

  private static MockResponse zipWith(String summary) {
    return GitHubFixtures.bytes(200, GitHubFixtures.zip(Map.of("summary.json", summary.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void definitionIsGuildOnlyWithTheTwoUrlOptions() {
    assertTrue(command.definition().guildOnly());
    assertEquals(List.of("frontend_url", "api_base"), command.definition().options().stream().map(OptionDefinition::name).toList());
    assertTrue(command.changesSomething());
  }

  @Test
  void showsOneLinePerCheckOfTheSummaryTheRunLeft() throws Exception {
    github.artifacts(GitHubFixtures.artifactsPage(GitHubFixtures.artifact(7, "diagnose-summary", 400, false)))
        .zip(zipWith("{\"checks\":[{\"name\":\"frontend\",\"ok\":true,\"detail\":\"200 in 120 ms\"},"
            + "{\"name\":\"api /health\",\"ok\":false,\"detail\":\"503\"}]}"));

    String answer = diagnose(Map.of("frontend_url", "https://app.example.com", "api_base", "https://api.example.com"));

    assertTrue(answer.startsWith("✅ **diagnose.yml** run #42 succeeded in 40s"), answer);
    assertTrue(answer.contains("❌ Checks: 1 of 2 passed\n✅ frontend — 200 in 120 ms\n❌ api /health — 503"), answer);
    JsonNode inputs = Jackson.parse(github.dispatches.get(0).getBody().utf8()).path("inputs");
    assertEquals("https://app.example.com/", inputs.path("frontend_url").asText());
    assertEquals("https://api.example.com/", inputs.path("api_base").asText());
    assertEquals("main", Jackson.parse(github.dispatches.get(0).getBody().utf8()).path("ref").asText());
    assertTrue(ops.steps().contains("diagnose-summary"), ops.steps().toString());
  }

  @Test
  void aRunWithoutTheArtifactIsSaidToHaveLeftNoneNotAFailure() throws Exception {
    github.artifacts(GitHubFixtures.artifactsPage(GitHubFixtures.artifact(8, "logs", 4000, false)));

    String answer = diagnose(Map.of());

    assertTrue(answer.startsWith("✅"), answer);
    assertTrue(answer.contains("The run left no `diagnose-summary` artifact"), answer);
    assertTrue(ops.alerts.isEmpty());
  }

  @Test
  void anOversizeArtifactIsNotDownloaded() throws Exception {
    github.artifacts(GitHubFixtures.artifactsPage(GitHubFixtures.artifact(7, "diagnose-summary", 5L * 1024 * 1024, false)));

    String answer = diagnose(Map.of());

    assertTrue(answer.contains("5.0 MiB") && answer.contains("I did not read it"), answer);
    assertTrue(github.zips.isEmpty(), "not downloaded");
  }

  @Test
  void anArchiveLargerThanItsListingSaidIsCutOffUnread() throws Exception {
    byte[] big = new byte[(int) DiagnoseSummary.MAX_ARCHIVE_BYTES + 10];
    big[0] = 'P';
    big[1] = 'K';
    github.artifacts(GitHubFixtures.artifactsPage(GitHubFixtures.artifact(7, "diagnose-summary", 300, false)))
        .zip(GitHubFixtures.bytes(200, big));

    String answer = diagnose(Map.of());

    assertTrue(answer.contains("I could not read the run's `diagnose-summary`"), answer);
  }

  @Test
  void aSummaryThatIsNotWhatWeExpectIsSaidSo() throws Exception {
    github.artifacts(GitHubFixtures.artifactsPage(GitHubFixtures.artifact(7, "diagnose-summary", 300, false)))
        .zip(zipWith("[1,2,3]"));

    String answer = diagnose(Map.of());

    assertTrue(answer.contains("is not what /diagnose expects (it is not a JSON object)"), answer);
  }

  @Test
  void aFrontendUrlResolvingToLoopbackIsRefusedAndNothingIsSent() throws Exception {
    String answer = diagnose(Map.of("frontend_url", "https://evil.example"));

    assertTrue(answer.startsWith("`frontend_url` is refused"), answer);
    assertEquals(0, github.server.getRequestCount());
    assertEquals(List.of("diagnose:refused"), ops.dispatchMetrics);
  }

  @Test
  void theAnswerFitsDiscordsLimitWhateverTheSummaryHolds() throws Exception {
    StringBuilder checks = new StringBuilder("{\"checks\":[");
    for (int i = 0; i < 200; i++) {
      checks.append(i == 0 ? "" : ",").append("{\"name\":\"check ").append(i).append("\",\"ok\":true,\"detail\":\"")
          .append("x".repeat(150)).append("\"}");
    }
    github.artifacts(GitHubFixtures.artifactsPage(GitHubFixtures.artifact(7, "diagnose-summary", 300, false)))
        .zip(zipWith(checks.append("]}").toString()));

    String answer = diagnose(Map.of());

    assertTrue(answer.length() <= 2000, answer.length() + " characters");
    assertTrue(answer.matches("(?s).*\n… and [0-9]+ more$"), answer);
    assertFalse(answer.contains("(truncated)"), "cut by us, with a count, not by the last-resort marker");
  }
}
