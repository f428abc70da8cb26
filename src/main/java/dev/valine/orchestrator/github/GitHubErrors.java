package dev.valine.orchestrator.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a GitHub error response into a {@link GitHubException} with a message a Discord user can act on:
 * the cause and the fix, including the token permission a call needs. Pure: status, the rate-limit headers
 * and the body text in; no I/O.
 */
final class GitHubErrors {
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  // GitHub's own explanation is quoted, cut to this length: enough for a list of input names.
  private static final int MAX_QUOTED = 200;
  // "Otherwise, wait for at least one minute before retrying" (docs: "Rate limits for the REST API").
  private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

  /**
   * What a call does: which permission its token needs (docs: "Permissions required for fine-grained personal
   * access tokens"), and, for a write, what may have happened when no clear answer came back.
   */
  enum Operation {
    READ_ACTIONS("read access to Actions", null),
    DISPATCH("write access to Actions (a fine-grained token needs Actions \"Read and write\", a classic token the repo scope)",
        "The workflow may have started anyway: look at its runs on GitHub before dispatching again."),
    READ_CONTENTS("read access to Contents (a fine-grained token needs Contents \"Read-only\", a classic token the repo scope)", null),
    READ_VARIABLES("read access to Variables (a fine-grained token needs Variables \"Read-only\", a classic token the repo scope)", null),
    WRITE_VARIABLES("write access to Variables (a fine-grained token needs Variables \"Read and write\", a classic token the repo scope)",
        "The variable may have been changed anyway: read it back before trying again.");

    private final String permission;
    private final String unsureOutcome;

    Operation(String permission, String unsureOutcome) {
      this.permission = permission;
      this.unsureOutcome = unsureOutcome;
    }

    /** For a write: the sentence to add when we cannot tell whether it happened. */
    Optional<String> unsureOutcome() {
      return Optional.ofNullable(unsureOutcome);
    }
  }

  private final Clock clock;

  GitHubErrors(Clock clock) {
    this.clock = clock;
  }

  /** A read of Actions data (runs, jobs, artifacts, the workflow list). */
  GitHubException fromResponse(int status, String what, String remaining, String reset, String retryAfter, String body) {
    return fromResponse(status, Operation.READ_ACTIONS, what, remaining, reset, retryAfter, body);
  }

  /**
   * @param what the resource in words, e.g. "workflow `deploy.yml` in octo/app"
   * @param remaining {@code x-ratelimit-remaining}, {@code reset} {@code x-ratelimit-reset} (epoch seconds),
   *     {@code retryAfter} {@code retry-after} (seconds); each null when absent
   */
  GitHubException fromResponse(int status, Operation operation, String what, String remaining, String reset, String retryAfter,
      String body) {
    Optional<GitHubException> limited = rateLimit(status, remaining, reset, retryAfter, body);
    if (limited.isPresent()) {
      return limited.get();
    }
    Optional<String> said = githubMessage(body);
    switch (status) {
      case 401:
        return new GitHubException(Kind.UNAUTHORIZED, status,
            "GitHub rejected our token (HTTP 401). An admin should check that GITHUB_TOKEN is set and not expired.");
      case 403:
        return new GitHubException(Kind.FORBIDDEN, status,
            "GitHub refused access to " + what + " (HTTP 403). The token needs " + operation.permission + " on that repository.");
      case 404:
        return new GitHubException(Kind.NOT_FOUND, status,
            "GitHub found no " + what + " (HTTP 404). Check the name, or whether the token can see the repository.");
      case 410:
        return new GitHubException(Kind.NOT_FOUND, status, "GitHub no longer has " + what + " (HTTP 410): it expired or was deleted.");
      case 422:
        return new GitHubException(Kind.INVALID_REQUEST, status, "GitHub rejected the request for " + what + " (HTTP 422)"
            + said.map(text -> ": \"" + text + "\".").orElse(".") + unprocessableHint(operation, said.orElse("")));
      default:
        if (status >= 500) {
          return new GitHubException(Kind.SERVER_ERROR, status, "GitHub is having trouble (HTTP " + status + "). "
              + operation.unsureOutcome().orElse("Try again in a minute."));
        }
        return new GitHubException(Kind.BAD_RESPONSE, status, "GitHub answered HTTP " + status + " for " + what
            + ", which we did not expect" + said.map(text -> ": \"" + text + "\".").orElse("."));
    }
  }

  /**
   * GitHub signals rate limits with 403 or 429: the primary limit with {@code x-ratelimit-remaining: 0} and a
   * reset time, secondary limits with {@code retry-after} or only a message. When to retry, in the documented
   * order: after {@code retry-after} seconds if present; else at {@code x-ratelimit-reset} when nothing remains;
   * else in a minute (docs: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
   */
  private Optional<GitHubException> rateLimit(int status, String remaining, String reset, String retryAfter, String body) {
    boolean primaryLimit = "0".equals(remaining == null ? null : remaining.trim());
    boolean secondaryLimit = retryAfter != null || body.toLowerCase(Locale.ROOT).contains("rate limit");
    if (status != 429 && !(status == 403 && (primaryLimit || secondaryLimit))) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant retryAt = seconds(retryAfter).map(now::plusSeconds)
        .or(() -> primaryLimit ? seconds(reset).map(Instant::ofEpochSecond) : Optional.empty())
        .orElse(now.plus(SECONDARY_LIMIT_WAIT));
    long minutes = Math.max(1, (Duration.between(now, retryAt).toSeconds() + 59) / 60);
    return Optional.of(new GitHubException(Kind.RATE_LIMITED, status, "GitHub's API rate limit is used up; it resets at "
        + CLOCK_TIME.format(retryAt) + " UTC (in " + minutes + " min).", retryAt));
  }

  /** What to do about a 422, from GitHub's own words where they are specific. */
  private static String unprocessableHint(Operation operation, String said) {
    String text = said.toLowerCase(Locale.ROOT);
    if (operation == Operation.DISPATCH) {
      if (text.contains("unexpected input")) {
        return " The workflow does not declare these inputs: add them under `on: workflow_dispatch: inputs:` in the workflow "
            + "file on that ref, or stop sending them.";
      }
      if (text.contains("required input")) {
        return " The workflow requires an input that was not sent: give it a default in the workflow, or send it.";
      }
      if (text.contains("no ref found")) {
        return " That branch or tag does not exist in the repository.";
      }
      if (text.contains("workflow_dispatch")) {
        return " The workflow has no `workflow_dispatch` trigger on that ref: add `on: workflow_dispatch` to it.";
      }
      return " Check the workflow's `workflow_dispatch` inputs and the ref.";
    }
    if (operation == Operation.WRITE_VARIABLES) {
      return " Variable names take letters, digits and underscores and must not start with GITHUB_; a value holds at most 48 KB.";
    }
    return "";
  }

  /** GitHub's {@code message}, on one line and cut short, so that it can be quoted to a user. */
  private static Optional<String> githubMessage(String body) {
    JsonNode json;
    try {
      json = Jackson.parse(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    String message = json.path("message").asText("").replaceAll("[\\p{Cntrl}\\s]+", " ").replace('`', '\'').trim();
    if (message.isEmpty()) {
      return Optional.empty();
    }
    if (message.length() <= MAX_QUOTED) {
      return Optional.of(message);
    }
    // Never cut between the two halves of a surrogate pair.
    int cut = Character.isHighSurrogate(message.charAt(MAX_QUOTED - 1)) ? MAX_QUOTED - 1 : MAX_QUOTED;
    return Optional.of(message.substring(0, cut) + "…");
  }

  private static Optional<Long> seconds(String value) {
    if (value == null) {
      return Optional.empty();
    }
    // Whole seconds only: "NaN" or "1e99" would become an instant that is no help (or out of range).
    String trimmed = value.trim();
    return trimmed.matches("[0-9]{1,12}") ? Optional.of(Long.parseLong(trimmed)) : Optional.empty();
  }
}
