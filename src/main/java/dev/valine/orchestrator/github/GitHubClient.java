package dev.valine.orchestrator.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.time.Deadline;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * A small GitHub REST client for the Actions endpoints {@code /status} needs. Calls are asynchronous
 * so that several workflows are fetched in parallel, and each call's timeout is what is left of the
 * command's {@link Deadline}. Failures complete the future with a {@link GitHubException}.
 *
 * <p>Cancelling a returned future aborts the HTTP calls behind it, including one it would start later:
 * a command run that is given up leaves nothing running. A workflow-list request that several lookups
 * share is aborted only once none of them waits for it.
 */
public final class GitHubClient {
  /** The REST API version we are written against (docs: "API Versions"). */
  static final String API_VERSION = "2022-11-28";
  // A body larger than this is not a runs page we asked for (10 runs are ~60 KB).
  private static final long MAX_BODY_BYTES = 2 * 1024 * 1024;

  private final OkHttpClient http;
  private final HttpUrl repoUrl;
  private final String repo;
  private final Optional<Secret> token;
  private final String userAgent;
  private final GitHubErrors errors;
  private final WorkflowDirectory directory;
  private final Clock clock;
  // The one load of the workflow list under way, shared by every lookup that needs it meanwhile.
  private Listing listing;

  /**
   * @param apiBase {@code GITHUB_API_BASE}, e.g. https://api.github.com
   * @param repo {@code owner/name}
   * @param token sent as a Bearer token when present; public repositories work without one
   */
  public GitHubClient(OkHttpClient http, String apiBase, String repo, Optional<Secret> token, String userAgent, Clock clock) {
    HttpUrl base = HttpUrl.parse(apiBase);
    if (base == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + apiBase);
    }
    String[] ownerAndName = repo.split("/", 2);
    this.http = http;
    this.repoUrl = base.newBuilder().addPathSegment("repos").addPathSegment(ownerAndName[0]).addPathSegment(ownerAndName[1]).build();
    this.repo = repo;
    this.token = token;
    this.userAgent = userAgent;
    this.errors = new GitHubErrors(clock);
    this.directory = new WorkflowDirectory(clock, Duration.ofMinutes(10));
    this.clock = clock;
  }

  public String repo() {
    return repo;
  }

  /**
   * The newest runs of one workflow, newest first.
   *
   * @param workflow a workflow file name ({@code deploy.yml}), numeric id, or display name ({@code Deploy})
   */
  public CompletableFuture<List<WorkflowRun>> recentRuns(String workflow, int count, Deadline deadline) {
    Calls calls = new Calls();
    if (WorkflowDirectory.isFileNameOrId(workflow)) {
      return calls.behind(runsOf(workflow, workflow, count, deadline, calls));
    }
    return calls.behind(workflowId(workflow, deadline, calls)
        .thenCompose(id -> runsOf(Long.toString(id), workflow, count, deadline, calls)));
  }

  /** The newest runs of all workflows in the repository, for when {@code STATUS_WORKFLOWS} is not set. */
  public CompletableFuture<List<WorkflowRun>> recentRuns(int count, Deadline deadline) {
    HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/runs")
        .addQueryParameter("per_page", Integer.toString(count))
        .addQueryParameter("exclude_pull_requests", "true").build();
    Calls calls = new Calls();
    return calls.behind(get(url, "repository " + repo, deadline, calls).thenApply(this::runs));
  }

  private CompletableFuture<List<WorkflowRun>> runsOf(String idOrFile, String label, int count, Deadline deadline, Calls calls) {
    HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/workflows").addPathSegment(idOrFile)
        .addPathSegment("runs")
        .addQueryParameter("per_page", Integer.toString(count))
        .addQueryParameter("exclude_pull_requests", "true").build();
    return get(url, "workflow `" + label + "` in " + repo, deadline, calls).thenApply(this::runs);
  }

  private CompletableFuture<Long> workflowId(String name, Deadline deadline, Calls calls) {
    Optional<Long> cached = directory.idOf(name);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(cached.get());
    }
    return workflowListing(deadline, calls).thenCompose(json -> {
      return directory.idOf(name)
          .map(CompletableFuture::completedFuture)
          .orElseGet(() -> CompletableFuture.failedFuture(new GitHubException(Kind.NOT_FOUND, 404,
              "There is no workflow named `" + name + "` in " + repo + ". Known workflows: "
                  + String.join(", ", directory.names()) + ".")));
    });
  }

  /** One request for the workflow list and the lookups waiting for it. */
  private static final class Listing {
    final Calls calls = new Calls();
    CompletableFuture<JsonNode> result;
    // Guarded by the client.
    int waiters;
  }

  /**
   * The repository's workflow list, loaded into the directory. Lookups of several display names at once
   * (one {@code /status} with {@code STATUS_WORKFLOWS=Deploy,Rollback}) share one request, which is
   * cancelled when the last lookup waiting for it is.
   */
  private synchronized CompletableFuture<JsonNode> workflowListing(Deadline deadline, Calls lookup) {
    Listing joined = listing;
    if (joined == null) {
      Listing started = new Listing();
      listing = started;
      HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/workflows").addQueryParameter("per_page", "100").build();
      started.result = get(url, "repository " + repo, deadline, started.calls).thenApply(json -> {
        directory.load(json.path("workflows"));
        return json;
      });
      // Once settled, the directory answers (or the next lookup tries again): forget the request.
      started.result.whenComplete((json, failure) -> forgetListing(started));
      joined = started;
    }
    joined.waiters++;
    Listing waitedFor = joined;
    lookup.add(() -> leave(waitedFor));
    return joined.result;
  }

  private synchronized void forgetListing(Listing done) {
    if (listing == done) {
      listing = null;
    }
  }

  /** A lookup no longer waits for the list; the last one to leave cancels the request if it is still running. */
  private void leave(Listing left) {
    boolean last;
    synchronized (this) {
      left.waiters--;
      last = left.waiters == 0 && !left.result.isDone();
      if (last) {
        forgetListing(left);
      }
    }
    if (last) {
      left.calls.cancel();
    }
  }

  /**
   * The HTTP calls behind one returned future. Cancelling that future cancels them, and any it would
   * start later; other cancel actions (leaving a shared request) run with them. Thread-safe.
   */
  private static final class Calls {
    private final List<Runnable> onCancel = new ArrayList<>();
    private boolean cancelled;

    void add(Runnable cancelAction) {
      synchronized (this) {
        if (!cancelled) {
          onCancel.add(cancelAction);
          return;
        }
      }
      cancelAction.run();
    }

    void cancel() {
      List<Runnable> actions;
      synchronized (this) {
        if (cancelled) {
          return;
        }
        cancelled = true;
        actions = List.copyOf(onCancel);
        onCancel.clear();
      }
      actions.forEach(Runnable::run);
    }

    /** {@code future}, which now cancels these calls when it is cancelled. */
    <T> CompletableFuture<T> behind(CompletableFuture<T> future) {
      future.whenComplete((value, failure) -> {
        if (future.isCancelled()) {
          cancel();
        }
      });
      return future;
    }
  }

  private CompletableFuture<JsonNode> get(HttpUrl url, String what, Deadline deadline, Calls calls) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    Duration remaining = deadline.remaining();
    if (remaining.isZero()) {
      result.completeExceptionally(new GitHubException(Kind.TIMEOUT, "GitHub did not answer in time. Try again in a moment.", null));
      return result;
    }
    Request.Builder request = new Request.Builder().url(url)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", API_VERSION)
        .header("User-Agent", userAgent);
    token.ifPresent(secret -> request.header("Authorization", "Bearer " + secret.reveal()));
    Call call = http.newCall(request.build());
    call.timeout().timeout(remaining.toMillis(), TimeUnit.MILLISECONDS);
    calls.add(call::cancel);
    Instant sent = clock.instant();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call failed, IOException e) {
        if (failed.isCanceled()) {
          // Whoever cancelled no longer waits for an answer.
          result.cancel(false);
        } else if (e instanceof InterruptedIOException) {
          // How long we really waited, which is not the budget when another timeout struck first.
          result.completeExceptionally(new GitHubException(Kind.TIMEOUT,
              "GitHub did not answer within " + seconds(Duration.between(sent, clock.instant())) + " s. Try again in a moment.", e));
        } else {
          result.completeExceptionally(new GitHubException(Kind.NETWORK,
              "Could not reach GitHub (" + e.getClass().getSimpleName() + "). Try again in a moment.", e));
        }
      }

      @Override
      public void onResponse(Call ok, Response response) {
        try (response) {
          complete(result, response, what);
        } catch (IOException e) {
          onFailure(ok, e);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    });
    return result;
  }

  private void complete(CompletableFuture<JsonNode> result, Response response, String what) throws IOException {
    ResponseBody body = response.body();
    // Content-Length when sent; a chunked body is read up to one byte past the limit, never further.
    BufferedSource source = body.source();
    if (body.contentLength() > MAX_BODY_BYTES || source.request(MAX_BODY_BYTES + 1)) {
      result.completeExceptionally(new GitHubException(Kind.BAD_RESPONSE, response.code(), "GitHub sent an unexpectedly large response."));
      return;
    }
    String text = source.readUtf8();
    if (!response.isSuccessful()) {
      result.completeExceptionally(errors.fromResponse(response.code(), what, response.header("x-ratelimit-remaining"),
          response.header("x-ratelimit-reset"), response.header("retry-after"), text));
      return;
    }
    try {
      result.complete(Jackson.parse(text));
    } catch (IOException e) {
      result.completeExceptionally(new GitHubException(Kind.BAD_RESPONSE, "GitHub sent a response we could not read.", e));
    }
  }

  private List<WorkflowRun> runs(JsonNode page) {
    JsonNode array = page.path("workflow_runs");
    if (!array.isArray()) {
      throw new java.util.concurrent.CompletionException(new GitHubException(Kind.BAD_RESPONSE, 200,
          "GitHub sent a response without workflow runs."));
    }
    List<WorkflowRun> runs = new ArrayList<>(array.size());
    for (JsonNode run : array) {
      runs.add(run(run));
    }
    return runs;
  }

  private static WorkflowRun run(JsonNode run) {
    Instant created = instant(run.path("created_at")).orElse(Instant.EPOCH);
    Instant started = instant(run.path("run_started_at")).orElse(created);
    return new WorkflowRun(
        run.path("id").asLong(),
        run.path("name").asText(""),
        run.path("run_number").asLong(),
        run.path("display_title").asText(""),
        run.path("status").asText("").toLowerCase(Locale.ROOT),
        Optional.ofNullable(run.path("conclusion").textValue()).map(s -> s.toLowerCase(Locale.ROOT)),
        run.path("html_url").asText(""),
        run.path("head_branch").asText(""),
        run.path("event").asText(""),
        started,
        instant(run.path("updated_at")).orElse(started));
  }

  private static Optional<Instant> instant(JsonNode value) {
    if (!value.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }
}
