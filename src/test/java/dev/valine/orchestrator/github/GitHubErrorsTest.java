package dev.valine.orchestrator.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  void unexpectedClientErrorIsReportedAsSuch() {
    assertEquals(Kind.BAD_RESPONSE, errors.fromResponse(422, "repo", null, null, null, "").kind());
  }
}
