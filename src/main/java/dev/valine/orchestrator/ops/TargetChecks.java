package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.net.FetchException;
import dev.valine.orchestrator.net.Fetched;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.time.Deadline;
import dev.valine.orchestrator.util.Futures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import okhttp3.HttpUrl;

/**
 * Fetches every configured path of the deployed targets, all at once, each through {@link SafeHttp} (so the URL
 * rules hold for the base, every redirect and every resolved address). Each request gets a short timeout within
 * the command's deadline, and one retry when it could not connect, timed out, or got a 5xx: a deploy that is
 * really up answers the second time, a flapping one is worth a look but not an alarm. A URL the rules refuse is
 * not retried. Each check is a step of the command's trace.
 */
final class TargetChecks {
  /** Long enough for a cold CDN edge or a serverless API's cold start; short enough to leave room for the retry. */
  static final Duration PER_REQUEST = Duration.ofSeconds(4);
  /** Checks per target; more paths than this are listed as not checked rather than flooding the target and the answer. */
  static final int MAX_PATHS = 15;

  private final SafeHttp http;
  private final Duration perRequest;
  private final Clock clock;

  TargetChecks(SafeHttp http, Duration perRequest, Clock clock) {
    this.http = http;
    this.perRequest = perRequest;
    this.clock = clock;
  }

  /** Starts the checks of one target's paths; each future completes with a result, never exceptionally unless cancelled. */
  List<CompletableFuture<CheckResult>> start(String target, HttpUrl base, List<String> paths, CommandContext context) {
    List<CompletableFuture<CheckResult>> checks = new ArrayList<>();
    for (String path : paths.subList(0, Math.min(paths.size(), MAX_PATHS))) {
      checks.add(context.cancellation().register(check(target, base, path, context)));
    }
    return checks;
  }

  /** The URL of a path under a base, keeping the base's own path ({@code https://host/api} + {@code /health}). */
  static HttpUrl join(HttpUrl base, String path) {
    String prefix = base.encodedPath().endsWith("/") ? base.encodedPath().substring(0, base.encodedPath().length() - 1)
        : base.encodedPath();
    return base.newBuilder().encodedPath(prefix + path).query(null).fragment(null).build();
  }

  private CompletableFuture<CheckResult> check(String target, HttpUrl base, String path, CommandContext context) {
    ExecutionTrace.Step step = context.trace().step("check " + target.toLowerCase(java.util.Locale.ROOT) + " " + path);
    HttpUrl url = join(base, path);
    return attempt(url, context).thenCompose(first -> {
      Optional<String> retryFor = retryable(first);
      if (retryFor.isEmpty() || context.deadline().expired() || context.cancellation().isCancelled()) {
        return CompletableFuture.completedFuture(result(target, path, first, 1, Optional.empty()));
      }
      return attempt(url, context).thenApply(second -> result(target, path, second, 2, retryFor));
    }).whenComplete((result, error) -> {
      if (error != null) {
        step.fail(error instanceof CancellationException || error.getCause() instanceof CancellationException
            ? "cancelled" : ExecutionTrace.describe(error));
      } else if (result.passed()) {
        step.ok(summary(result));
      } else {
        step.fail(summary(result) + ": " + result.problem().orElse(""));
      }
    });
  }

  /** One request and its redirects; completes with the response or the failure, exceptionally only when cancelled. */
  private CompletableFuture<Attempt> attempt(HttpUrl url, CommandContext context) {
    Instant until = clock.instant().plus(perRequest);
    Deadline deadline = new Deadline(until.isBefore(context.deadline().at()) ? until : context.deadline().at(), clock);
    Instant sent = clock.instant();
    CompletableFuture<Fetched> fetch = context.cancellation().register(http.get(url, deadline));
    return fetch.handle((fetched, error) -> {
      if (error == null) {
        return new Attempt(Optional.of(fetched), Optional.empty(), 0);
      }
      Throwable cause = Futures.cause(error);
      if (cause instanceof FetchException failure) {
        return new Attempt(Optional.empty(), Optional.of(failure), Duration.between(sent, clock.instant()).toMillis());
      }
      throw error instanceof CompletionException completion ? completion : new CompletionException(cause);
    });
  }

  /** What one request gave: a response, or a failure after {@code failedAfterMillis}. */
  private record Attempt(Optional<Fetched> fetched, Optional<FetchException> failure, long failedAfterMillis) {
  }

  /** Why a first attempt is worth repeating, or empty when it is not. */
  private static Optional<String> retryable(Attempt attempt) {
    if (attempt.fetched().isPresent()) {
      int status = attempt.fetched().get().status();
      return status >= 500 ? Optional.of("HTTP " + status) : Optional.empty();
    }
    FetchException failure = attempt.failure().orElseThrow();
    return switch (failure.kind()) {
      case TIMEOUT -> Optional.of("timed out");
      case NETWORK -> Optional.of("could not connect");
      default -> Optional.empty();
    };
  }

  private static CheckResult result(String target, String path, Attempt attempt, int attempts, Optional<String> retriedBecause) {
    if (attempt.fetched().isEmpty()) {
      FetchException failure = attempt.failure().orElseThrow();
      return new CheckResult(target, path, Optional.empty(), attempt.failedAfterMillis(), 0, attempts, Optional.empty(),
          Optional.of(failure.getMessage()), retriedBecause, Optional.empty());
    }
    Fetched fetched = attempt.fetched().get();
    int status = fetched.status();
    boolean ok = status >= 200 && status < 300;
    Optional<String> finalUrl = fetched.redirects().isEmpty() ? Optional.empty() : Optional.of(withoutQuery(fetched.url()));
    Optional<String> stale = ok && (StaleDeployRisk.isEntryPage(path) || StaleDeployRisk.isEntryPage(fetched.url().encodedPath()))
        ? StaleDeployRisk.of(path, fetched.headers()) : Optional.empty();
    return new CheckResult(target, path, Optional.of(status), fetched.elapsed().toMillis(), fetched.redirects().size(), attempts,
        finalUrl, ok ? Optional.empty() : Optional.of(problem(status)), retriedBecause, stale);
  }

  private static String problem(int status) {
    if (status >= 500) {
      return "the server failed (HTTP " + status + ")";
    }
    if (status == 404) {
      return "not found (HTTP 404): is the path right, and was everything uploaded?";
    }
    if (status == 401 || status == 403) {
      return "refused (HTTP " + status + "): the path is protected, or the bucket or CDN denies it";
    }
    return "HTTP " + status + " where a 2xx was expected";
  }

  /** For the trace: "200 in 45 ms, 1 redirect, retried". */
  private static String summary(CheckResult result) {
    return result.status().map(code -> "HTTP " + code).orElse("no response") + " in " + result.millis() + " ms"
        + (result.redirects() > 0 ? ", " + result.redirects() + " redirect" + (result.redirects() == 1 ? "" : "s") : "")
        + (result.attempts() > 1 ? ", retried after " + result.retriedBecause().orElse("a failure") : "");
  }

  /** Queries carry tokens as often as not: none is shown. */
  static String withoutQuery(HttpUrl url) {
    return url.newBuilder().query(null).fragment(null).username("").password("").build().toString();
  }
}
