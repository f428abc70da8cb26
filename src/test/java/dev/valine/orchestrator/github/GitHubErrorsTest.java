package dev.valine.orchestrator.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.github.GitHubErrors.Operation;
import dev.valine.orchestrator.github.GitHubException.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GitHubErrorsTest {
  private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");
  private final GitHubErrors errors = new GitHubErrors(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void primaryRateLimitSaysWhenItResets() {
    String reset = Long.toString(NOW.plusSeconds(12 * 60).getEpochSecond());

    GitHubException error = errors.fromResponse(403, "repo", "0", reset, null, "{\"message\":\"API rate limit exceeded\"}");

    assertEquals(Kind.RATE_LIMITED, error.kind());
    assertEquals("GitHub's API rate limit is used up; it resets at 14:12 UTC (in 12 min).", error.getMessage());
  }

  @Test
  void secondaryRateLimitUsesRetryAfter() {
    GitHubException error = errors.fromResponse(429, "repo", null, null, "90", "{}");

    assertEquals("GitHub's API rate limit is used up; it resets at 14:01 UTC (in 2 min).", error.getMessage());
  }

  @Test
  void forbiddenWithoutRateLimitSignsIsAPermissionProblem() {
    GitHubException error = errors.fromResponse(403, "workflow `deploy.yml` in o/r", "4999", null, null, "{\"message\":\"Forbidden\"}");

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertEquals(403, error.httpStatus().orElseThrow());
  }

  @Test
  void serverErrorsAreOperational() {
    GitHubException error = errors.fromResponse(503, "repo", null, null, null, "");

    assertEquals(Kind.SERVER_ERROR, error.kind());
    assertEquals(true, error.kind().isOperational());
  }

  @Test
  void unexpectedClientErrorIsReportedAsSuchWithGitHubsWords() {
    GitHubException error = errors.fromResponse(409, Operation.WRITE_VARIABLES, "variable VITE_API_BASE in o/r", null, null, null,
        "{\"message\":\"Already exists - Variable already exists\"}");

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals("GitHub answered HTTP 409 for variable VITE_API_BASE in o/r, which we did not expect: "
        + "\"Already exists - Variable already exists\".", error.getMessage());
  }

  @Test
  void primaryRateLimitSaysWhenToRetry() {
    Instant reset = NOW.plusSeconds(12 * 60);

    GitHubException error = errors.fromResponse(403, "repo", "0", Long.toString(reset.getEpochSecond()), null, "{}");

    assertEquals(reset, error.retryAt().orElseThrow());
  }

  @Test
  void secondaryRateLimitWaitsForRetryAfterNotThePrimaryReset() {
    // A secondary limit comes with the primary window's headers too; retry-after is the one that counts.
    String primaryReset = Long.toString(NOW.plusSeconds(50 * 60).getEpochSecond());

    GitHubException error = errors.fromResponse(403, "repo", "4000", primaryReset, "30",
        "{\"message\":\"You have exceeded a secondary rate limit.\"}");

    assertEquals(Kind.RATE_LIMITED, error.kind());
    assertEquals(NOW.plusSeconds(30), error.retryAt().orElseThrow());
    assertEquals("GitHub's API rate limit is used up; it resets at 14:00 UTC (in 1 min).", error.getMessage());
  }

  @Test
  void secondaryRateLimitWithoutHeadersWaitsAMinute() {
    GitHubException error = errors.fromResponse(403, "repo", "4000", null, null,
        "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}");

    assertEquals(Kind.RATE_LIMITED, error.kind());
    assertEquals(NOW.plusSeconds(60), error.retryAt().orElseThrow());
  }

  @Test
  void tooManyRequestsIsARateLimitEvenWithoutHeaders() {
    GitHubException error = errors.fromResponse(429, "repo", null, null, null, "");

    assertEquals(Kind.RATE_LIMITED, error.kind());
    assertEquals(NOW.plusSeconds(60), error.retryAt().orElseThrow());
  }

  @Test
  void unusableRateLimitHeadersFallBackToAMinute() {
    GitHubException error = errors.fromResponse(429, "repo", "0", "soon", "1e99", "");

    assertEquals(NOW.plusSeconds(60), error.retryAt().orElseThrow());
  }

  @Test
  void otherFailuresHaveNoRetryTime() {
    assertTrue(errors.fromResponse(503, "repo", null, null, null, "").retryAt().isEmpty());
  }

  @Test
  void undeclaredDispatchInputsAreNamedWithTheFix() {
    GitHubException error = errors.fromResponse(422, Operation.DISPATCH, "workflow `deploy.yml` in o/r", "4999", null, null,
        "{\"message\":\"Unexpected inputs provided: [\\\"colour\\\"]\",\"documentation_url\":\"https://docs.github.com/rest\"}");

    assertEquals(Kind.INVALID_REQUEST, error.kind());
    assertEquals(422, error.httpStatus().orElseThrow());
    assertEquals("GitHub rejected the request for workflow `deploy.yml` in o/r (HTTP 422): \"Unexpected inputs provided: [\"colour\"]\". "
        + "The workflow does not declare these inputs: add them under `on: workflow_dispatch: inputs:` in the workflow file on "
        + "that ref, or stop sending them.", error.getMessage());
  }

  @Test
  void dispatchToAMissingRefSaysSo() {
    GitHubException error = errors.fromResponse(422, Operation.DISPATCH, "workflow `deploy.yml` in o/r", null, null, null,
        "{\"message\":\"No ref found for: release/9\"}");

    assertTrue(error.getMessage().endsWith("\"No ref found for: release/9\". That branch or tag does not exist in the repository."),
        error.getMessage());
  }

  @Test
  void dispatchWithoutWriteAccessNamesThePermission() {
    GitHubException error = errors.fromResponse(403, Operation.DISPATCH, "workflow `deploy.yml` in o/r", "4999", null, null,
        "{\"message\":\"Resource not accessible by personal access token\"}");

    assertEquals(Kind.FORBIDDEN, error.kind());
    assertEquals("GitHub refused access to workflow `deploy.yml` in o/r (HTTP 403). The token needs write access to Actions "
        + "(a fine-grained token needs Actions \"Read and write\", a classic token the repo scope) on that repository.", error.getMessage());
  }

  /** The message goes into alerts and logs, whose redactor masks what follows "token:": the permission must survive it. */
  @Test
  void thePermissionANeededTokenLacksSurvivesRedaction() {
    for (Operation operation : Operation.values()) {
      GitHubException error = errors.fromResponse(403, operation, "workflow `deploy.yml` in o/r", "4999", null, null, "{}");

      assertEquals(error.getMessage(), new dev.valine.orchestrator.observability.SecretRedactor().redact(error.getMessage()), operation.name());
    }
  }

  @Test
  void summarisesAFailureForATraceStepWithItsHttpStatusWhenThereIsOne() {
    assertEquals("SERVER_ERROR HTTP 502", new GitHubException(Kind.SERVER_ERROR, 502, "GitHub is having trouble").summary());
    assertEquals("TIMEOUT", new GitHubException(Kind.TIMEOUT, "GitHub did not answer in time.", null).summary());
  }

  @Test
  void variableWriteWithoutPermissionNamesThePermission() {
    GitHubException error = errors.fromResponse(403, Operation.WRITE_VARIABLES, "variable X in o/r", "4999", null, null, "{}");

    assertTrue(error.getMessage().contains("write access to Variables (a fine-grained token needs Variables \"Read and write\""),
        error.getMessage());
  }

  @Test
  void unknownWorkflowSaysWhatToCheck() {
    GitHubException error = errors.fromResponse(404, Operation.DISPATCH, "workflow `deploy.yml` in o/r", null, null, null,
        "{\"message\":\"Not Found\"}");

    assertEquals(Kind.NOT_FOUND, error.kind());
    assertEquals("GitHub found no workflow `deploy.yml` in o/r (HTTP 404). Check the name, or whether the token can see the "
        + "repository.", error.getMessage());
  }

  @Test
  void aWriteThatMetAServerErrorMayHaveHappened() {
    GitHubException error = errors.fromResponse(502, Operation.DISPATCH, "workflow `deploy.yml` in o/r", null, null, null, "");

    assertEquals("GitHub is having trouble (HTTP 502). The workflow may have started anyway: look at its runs on GitHub before "
        + "dispatching again.", error.getMessage());
  }

  @Test
  void quotesGitHubOnOneLineAndShort() {
    String longMessage = "Invalid\\nvalue " + "x".repeat(400);

    GitHubException error = errors.fromResponse(422, Operation.READ_ACTIONS, "repo", null, null, null,
        "{\"message\":\"" + longMessage + "\"}");

    assertTrue(error.getMessage().startsWith("GitHub rejected the request for repo (HTTP 422): \"Invalid value xxx"), error.getMessage());
    assertTrue(error.getMessage().contains("x…\""), error.getMessage());
    assertTrue(error.getMessage().length() < 300, error.getMessage());
  }
}
