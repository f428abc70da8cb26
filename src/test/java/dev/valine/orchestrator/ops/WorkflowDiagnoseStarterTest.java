package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkflowDiagnoseStarterTest {
  private final OpsFixture ops = new OpsFixture();
  private LoopbackGitHub github;
  private WorkflowDiagnoseStarter starter;

  @BeforeEach
  void start() throws Exception {
    github = new LoopbackGitHub();
    starter = new WorkflowDiagnoseStarter(Optional.of(() -> github.client(ops.time)), github.apiBase(), false, ops.settings, ops.metrics, ops.time);
  }

  @AfterEach
  void stop() {
    github.close();
  }

  @Test
  void startsTheDiagnosisOnceAndLinksItsRun() throws Exception {
    github.dispatchAnswers(GitHubFixtures.runDetails(9_000_000_042L));
    CommandContext context = ops.context(OpsFixture.byOperator("verify-latest", Map.of()));

    String first = starter.start(context);
    String again = starter.start(context);

    assertEquals("🩺 Diagnosis started: <https://github.com/octo-org/deploy-service/actions/runs/9000000042>", first);
    assertEquals(first, again);
    assertEquals(1, github.dispatchCount());
    assertEquals(0, github.polls.get(), "not followed");
  }

  @Test
  void aDispatchWhoseRunIsUnknownNamesTheCorrelationIdToLookFor() throws Exception {
    github.dispatchAnswers(GitHubFixtures.noContent());

    String line = starter.start(ops.context(OpsFixture.byOperator("verify-latest", Map.of())));

    assertTrue(line.contains("`valine-" + OpsFixture.INTERACTION_ID + "`"), line);
    assertEquals(0, github.searchCount());
  }

  @Test
  void aRefusalIsTheLine() throws Exception {
    github.dispatchAnswers(GitHubFixtures.error(404, "Not Found"));

    String line = starter.start(ops.context(OpsFixture.byOperator("verify-latest", Map.of())));

    assertTrue(line.startsWith("❌ Could not dispatch **diagnose.yml**") && line.contains("`DIAGNOSE_WORKFLOW`"), line);
    assertEquals(1, ops.alerts.size());
  }
}
