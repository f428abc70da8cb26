package dev.valine.orchestrator.doctor;

import static dev.valine.orchestrator.doctor.DoctorDiscordTest.line;
import static dev.valine.orchestrator.doctor.WiredStage.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.doctor.Check.Status;
import java.time.Clock;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Doctor's GitHub and deploy-target lines against MockWebServer answering as GitHub, right and wrong. */
class DoctorGitHubTest {
  private static final String DEPLOY = "GitHub workflow `Client Deploy` (DEPLOY_WORKFLOW)";
  private static final String DIAGNOSE = "GitHub workflow `Diagnose on Demand` (DIAGNOSE_WORKFLOW)";
  private static final String CI = "GitHub workflow `CI` (STATUS_WORKFLOWS)";

  private final WiredStage stage;

  DoctorGitHubTest() throws Exception {
    stage = new WiredStage();
  }

  @AfterEach
  void stop() {
    stage.close();
  }

  private Report run() throws InterruptedException {
    Config config = Config.fromEnvironment(stage.env, Config.PublicKey.OPTIONAL);
    return new Doctor(config, Optional.empty(), new OkHttpClient(), WiredStage.dns(), () -> {
      throw new AssertionError("no table is configured");
    }, Clock.systemUTC()).run();
  }

  @Test
  void aStageWiredRightPassesEveryGitHubCheck() throws Exception {
    stage.variable("FRONTEND_BASE_URL", "https://" + WiredStage.PUBLIC_HOST);

    Report report = run();

    assertEquals(Status.PASS, line(report, GitHubChecks.REPOSITORY).status(), report.toString());
    assertTrue(line(report, GitHubChecks.REPOSITORY).detail().startsWith("GITHUB_TOKEN is accepted and reaches octo-org/deploy-service"));
    assertEquals(Status.PASS, line(report, CI).status());
    assertEquals(Status.PASS, line(report, DEPLOY).status(), line(report, DEPLOY).detail());
    assertEquals(Status.PASS, line(report, DIAGNOSE).status(), line(report, DIAGNOSE).detail());
    assertEquals(Status.PASS, line(report, GitHubChecks.VARIABLES).status());
    assertEquals(Status.PASS, line(report, "Deploy target FRONTEND_BASE_URL (repository variable)").status());
    assertEquals(Status.SKIP, line(report, "Deploy target VITE_API_BASE (repository variable)").status());
    assertTrue(report.passed(), report.toString());
  }

  @Test
  void aRejectedTokenFailsAndSkipsTheRest() throws Exception {
    stage.answer("GET", REPO, 401, "{\"message\":\"Bad credentials\"}");

    Report report = run();

    Check repository = line(report, GitHubChecks.REPOSITORY);
    assertEquals(Status.FAIL, repository.status());
    assertTrue(repository.detail().startsWith("GitHub rejected GITHUB_TOKEN (HTTP 401)"), repository.detail());
    assertEquals(Status.SKIP, line(report, GitHubChecks.WORKFLOWS).status());
    assertEquals(Status.SKIP, line(report, GitHubChecks.VARIABLES).status());
  }

  @Test
  void aRepositoryTheTokenCannotSeeFails() throws Exception {
    stage.answer("GET", REPO, 404, "{\"message\":\"Not Found\"}");

    Check repository = line(run(), GitHubChecks.REPOSITORY);

    assertEquals(Status.FAIL, repository.status());
    assertTrue(repository.detail().contains("no repository octo-org/deploy-service (HTTP 404)"), repository.detail());
    assertTrue(repository.fix().orElseThrow().contains("Repository access"));
  }

  @Test
  void aStatusWorkflowThatDoesNotExistFailsListingTheOnesThatDo() throws Exception {
    stage.env.put("STATUS_WORKFLOWS", "CI,Release");

    Report report = run();

    Check release = line(report, "GitHub workflow `Release` (STATUS_WORKFLOWS)");
    assertEquals(Status.FAIL, release.status());
    assertTrue(release.detail().endsWith("it has: CI, Client Deploy, Diagnose on Demand"), release.detail());
    assertEquals(Status.PASS, line(report, CI).status());
  }

  @Test
  void aDeployWorkflowThatDoesNotExistFails() throws Exception {
    stage.env.put("DEPLOY_WORKFLOW", "ship.yml");

    Check deploy = line(run(), "GitHub workflow `ship.yml` (DEPLOY_WORKFLOW)");

    assertEquals(Status.FAIL, deploy.status());
    assertTrue(deploy.fix().orElseThrow().startsWith("set DEPLOY_WORKFLOW to one of them"));
  }

  @Test
  void aWorkflowWithoutWorkflowDispatchFails() throws Exception {
    stage.workflowFile("deploy.yml", "name: Client Deploy\non:\n  push:\n    branches: [main]\njobs: {}\n");

    Check deploy = line(run(), DEPLOY);

    assertEquals(Status.FAIL, deploy.status());
    assertTrue(deploy.detail().contains("has no workflow_dispatch trigger: /deploy-client cannot start it"), deploy.detail());
  }

  @Test
  void aWorkflowThatDoesNotDeclareTheInputsEveryDispatchSendsFails() throws Exception {
    stage.workflowFile("deploy.yml", "name: Client Deploy\non:\n  workflow_dispatch:\n    inputs:\n      requester: {type: string}\n");

    Check deploy = line(run(), DEPLOY);

    assertEquals(Status.FAIL, deploy.status());
    assertTrue(deploy.detail().contains("does not declare the input correlation_id, which every dispatch sends"), deploy.detail());
  }

  @Test
  void aWorkflowWithoutAnOptionalInputWarnsThatItsOptionCannotBeUsed() throws Exception {
    stage.workflowFile("deploy.yml", String.join("\n", "name: Client Deploy", "run-name: Deploy ${{ inputs.correlation_id }}",
        "on:", "  workflow_dispatch:", "    inputs:", "      correlation_id: {type: string}", "      requester: {type: string}"));

    Report report = run();

    Check deploy = line(report, DEPLOY);
    assertEquals(Status.WARN, deploy.status());
    assertTrue(deploy.detail().contains("it does not declare api_base, so /deploy-client api_base: cannot be used"), deploy.detail());
    assertTrue(report.passed(), "a warning does not fail the report");
  }

  @Test
  void aWorkflowThatRequiresAnInputTheBotNeverSendsFails() throws Exception {
    stage.workflowFile("diagnose.yml", String.join("\n", "on:", "  workflow_dispatch:", "    inputs:",
        "      correlation_id: {type: string}", "      requester: {type: string}", "      environment: {type: string, required: true}"));

    Check diagnose = line(run(), DIAGNOSE);

    assertEquals(Status.FAIL, diagnose.status());
    assertTrue(diagnose.detail().contains("requires environment without a default"), diagnose.detail());
  }

  @Test
  void aWorkflowFileMissingOnTheDispatchedRefFails() throws Exception {
    stage.answer("GET", REPO + "/contents/.github/workflows/deploy.yml", 404, "{\"message\":\"Not Found\"}");

    Check deploy = line(run(), DEPLOY);

    assertEquals(Status.FAIL, deploy.status());
    assertTrue(deploy.detail().contains("is not on main (DEPLOY_REF)"), deploy.detail());
  }

  @Test
  void dispatchedWorkflowsAreSkippedWhenNobodyMayDispatch() throws Exception {
    stage.env.remove("OPERATOR_USER_IDS");

    Report report = run();

    assertEquals(Status.SKIP, line(report, DEPLOY).status());
    assertTrue(line(report, DEPLOY).detail().startsWith("nobody may dispatch it"));
    assertEquals(Status.PASS, line(report, CI).status());
  }

  @Test
  void aTokenThatCannotReadVariablesFails() throws Exception {
    stage.answer("GET", REPO + "/actions/variables", 403, "{\"message\":\"Resource not accessible by personal access token\"}");

    Check variables = line(run(), GitHubChecks.VARIABLES);

    assertEquals(Status.FAIL, variables.status());
    assertTrue(variables.fix().orElseThrow().contains("Variables \"Read-only\""));
  }

  @Test
  void aRepositoryVariableTargetThatResolvesToAPrivateAddressIsRefused() throws Exception {
    stage.variable("VITE_API_BASE", "https://" + WiredStage.PRIVATE_HOST + "/api");

    Report report = run();

    Check target = line(report, "Deploy target VITE_API_BASE (repository variable)");
    assertEquals(Status.FAIL, target.status());
    assertTrue(target.detail().startsWith("repository variable VITE_API_BASE is refused by the URL rules"), target.detail());
    assertFalse(report.passed());
  }

  @Test
  void environmentTargetsAreCheckedOnTheirResolvedAddresses() throws Exception {
    stage.env.put("FRONTEND_BASE_URL", "https://" + WiredStage.PUBLIC_HOST);
    stage.env.put("API_BASE_URL", "https://" + WiredStage.PRIVATE_HOST + "/api");

    Report report = run();

    assertEquals(Status.PASS, line(report, TargetChecks.FRONTEND).status());
    Check api = line(report, TargetChecks.API);
    assertEquals(Status.FAIL, api.status());
    assertFalse(api.detail().contains(WiredStage.PRIVATE_HOST + "/api"), "a refused URL is not echoed whole");
  }

  @Test
  void withoutARepositoryEveryGitHubCheckIsSkipped() throws Exception {
    stage.env.remove("GITHUB_REPO");

    Report report = run();

    assertEquals(Status.SKIP, line(report, GitHubChecks.REPOSITORY).status());
    assertEquals("GITHUB_REPO not set (/status and the ops actions need it)", line(report, GitHubChecks.REPOSITORY).detail());
  }
}
