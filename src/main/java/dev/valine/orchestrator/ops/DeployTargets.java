package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.util.Futures;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import okhttp3.HttpUrl;

/**
 * Where the deployed frontend and API are: the repository variables the deploy workflow builds with
 * ({@code FRONTEND_BASE_URL}, {@code VITE_API_BASE}), read in parallel, else the bot's environment
 * ({@code FRONTEND_BASE_URL}, {@code API_BASE_URL}). Each target says where its base came from, so that a reader
 * who sees a wrong host knows which setting to fix. A variable that cannot be read (a token without the
 * Variables permission) falls back to the environment, and the target says so.
 */
final class DeployTargets {
  static final String FRONTEND_VARIABLE = "FRONTEND_BASE_URL";
  static final String API_VARIABLE = "VITE_API_BASE";
  static final String FRONTEND_ENV = "FRONTEND_BASE_URL";
  static final String API_ENV = "API_BASE_URL";

  /** Whether a target can be checked, was left unset, or is set to something that is not a URL. */
  enum State { CONFIGURED, NOT_CONFIGURED, INVALID }

  /**
   * One deployed target and the paths to fetch on it.
   *
   * @param name "Frontend" or "API", as the report shows it
   * @param base present when {@link State#CONFIGURED}
   * @param source where the base came from, or why there is none
   */
  record Target(String name, State state, Optional<HttpUrl> base, String source, List<String> paths) {
    Target {
      paths = List.copyOf(paths);
    }
  }

  private final OpsSettings settings;

  DeployTargets(OpsSettings settings) {
    this.settings = settings;
  }

  /** Both targets, frontend first; never fails (a variable that cannot be read falls back to the environment). */
  CompletableFuture<List<Target>> resolve(CommandContext context, GitHubClient github) {
    CompletableFuture<Target> frontend = target(context, github, "Frontend", FRONTEND_VARIABLE, FRONTEND_ENV,
        settings.frontendBaseUrl(), settings.verifyFrontendPaths());
    CompletableFuture<Target> api = target(context, github, "API", API_VARIABLE, API_ENV, settings.apiBaseUrl(),
        settings.verifyApiPaths());
    return frontend.thenCombine(api, List::of);
  }

  private static CompletableFuture<Target> target(CommandContext context, GitHubClient github, String name, String variable,
      String envName, Optional<String> env, List<String> paths) {
    ExecutionTrace.Step step = context.trace().step("github.variable " + variable);
    CompletableFuture<Optional<String>> read = context.cancellation().register(github.variable(variable, context.deadline()));
    return read.handle((value, error) -> {
      if (error == null) {
        Optional<String> set = value.map(String::trim).filter(text -> !text.isEmpty());
        step.ok(set.isPresent() ? "set" : "unset");
        if (set.isPresent()) {
          return fromText(name, set.get(), "repository variable `" + variable + "`", paths);
        }
        return fromEnvironment(name, env, envName, "repository variable `" + variable + "` unset", variable, paths);
      }
      Throwable cause = Futures.cause(error);
      if (cause instanceof CancellationException) {
        step.fail("cancelled");
        throw new CompletionException(cause);
      }
      String why = cause instanceof GitHubException gitHub ? gitHub.getMessage() : ExecutionTrace.describe(cause);
      step.fail(cause instanceof GitHubException gitHub ? gitHub.summary()
          : cause.getClass().getSimpleName());
      return fromEnvironment(name, env, envName, "repository variable `" + variable + "` unreadable: " + why, variable, paths);
    });
  }

  private static Target fromEnvironment(String name, Optional<String> env, String envName, String because, String variable,
      List<String> paths) {
    if (env.isPresent()) {
      return fromText(name, env.get(), "environment `" + envName + "`; " + because, paths);
    }
    return new Target(name, State.NOT_CONFIGURED, Optional.empty(), "not configured (" + because + "): set the repository variable `"
        + variable + "` or the bot's `" + envName + "`", paths);
  }

  /** A base as written; whether it may be fetched is decided when it is, on every redirect and resolved address. */
  private static Target fromText(String name, String text, String source, List<String> paths) {
    HttpUrl base = HttpUrl.parse(text);
    if (base == null) {
      // Not echoed: a misplaced value could be anything, a token included.
      return new Target(name, State.INVALID, Optional.empty(), source + " is not a full http(s) URL; write it like "
          + "https://app.example.com", paths);
    }
    return new Target(name, State.CONFIGURED, Optional.of(base), source, paths);
  }

}
