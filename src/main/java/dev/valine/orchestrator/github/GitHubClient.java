package dev.valine.orchestrator.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubErrors.Operation;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.github.GitHubHttp.Reply;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.secrets.TokenSource;
import dev.valine.orchestrator.time.Deadline;
import dev.valine.orchestrator.util.Futures;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A small GitHub REST client for the Actions endpoints the commands need: workflow runs and their jobs and
 * artifacts, workflow dispatch, and repository variables (docs: https://docs.github.com/en/rest/actions). Calls
 * are asynchronous so that several run in parallel, and each call's timeout is what is left of the command's
 * {@link Deadline}. Failures complete the future with a {@link GitHubException} whose message names the cause
 * and the fix.
 *
 * <p>Cancelling a returned future aborts the HTTP calls behind it, including one it would start later: a
 * command run that is given up leaves nothing running. A workflow-list request that several lookups share is
 * aborted only once none of them waits for it.
 *
 * <p>Reads may be repeated by the caller at will (poll a run every 5 to 15 seconds, not faster). Writes,
 * {@link #dispatch} and {@link #setVariable}, are sent at most once: never repeated on a timeout, a dropped
 * connection or a 5xx, neither by this client nor by OkHttp underneath.
 */
public final class GitHubClient {
  /** The REST API version we are written against (docs: "API Versions"). */
  static final String API_VERSION = "2022-11-28";
  // A body larger than this is not a page we asked for, even at 100 runs or jobs to the page.
  private static final long MAX_BODY_BYTES = 2 * 1024 * 1024;
  private static final String TOO_LARGE = "GitHub sent an unexpectedly large response.";
  private static final int PER_PAGE = 100;
  // Filtered run lists stop at 1,000 results (docs: "List workflow runs for a workflow"), ten pages of 100.
  private static final int MAX_PAGES = 10;
  // An artifact download is one redirect from the API to GitHub's storage; allow that storage one or two more.
  private static final int MAX_REDIRECTS = 3;
  private static final String RETURN_RUN_DETAILS = "return_run_details";
  // What GitHub accepts as a variable name (docs: "Naming conventions for configuration variables").
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  // The date form of GitHub's search syntax, which the runs list's `created` filter takes.
  private static final DateTimeFormatter SEARCH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final GitHubHttp http;
  private final HttpUrl repoUrl;
  private final String repo;
  private final GitHubErrors errors;
  private final WorkflowDirectory directory;
  private final Clock clock;
  private final Predicate<HttpUrl> downloadTargets;
  // The one load of the workflow list under way, shared by every lookup that needs it meanwhile.
  private Listing listing;

  /**
   * A client whose artifact downloads follow redirects to https URLs only.
   *
   * @param apiBase {@code GITHUB_API_BASE}, e.g. https://api.github.com or https://HOST/api/v3
   * @param repo {@code owner/name}
   * @param token sent as a Bearer token when present; public repositories can be read without one
   */
  public GitHubClient(OkHttpClient http, String apiBase, String repo, Optional<Secret> token, String userAgent, Clock clock) {
    this(http, apiBase, repo, TokenSource.environment("GITHUB_TOKEN", token), userAgent, clock, HttpUrl::isHttps);
  }

  /**
   * A client whose token is asked of {@code token} for every request, and renewed once after a 401 when it comes from
   * Secrets Manager; artifact downloads follow redirects to https URLs only.
   */
  public GitHubClient(OkHttpClient http, String apiBase, String repo, TokenSource token, String userAgent, Clock clock) {
    this(http, apiBase, repo, token, userAgent, clock, HttpUrl::isHttps);
  }

  /**
   * @param downloadTargets where an artifact download may be redirected (GitHub sends it to a short-lived
   *     storage URL); asked before every redirect is followed. The token never goes there.
   */
  public GitHubClient(OkHttpClient http, String apiBase, String repo, Optional<Secret> token, String userAgent, Clock clock,
      Predicate<HttpUrl> downloadTargets) {
    this(http, apiBase, repo, TokenSource.environment("GITHUB_TOKEN", token), userAgent, clock, downloadTargets);
  }

  /**
   * @param token asked for as each request is sent
   * @param downloadTargets where an artifact download may be redirected; asked before every redirect is followed
   */
  public GitHubClient(OkHttpClient http, String apiBase, String repo, TokenSource token, String userAgent, Clock clock,
      Predicate<HttpUrl> downloadTargets) {
    this(http, apiBase, repo, token, userAgent, clock, downloadTargets, Optional.empty());
  }

  /**
   * @param downloadTargets where an artifact download may be redirected, judged on the URL's text
   * @param storage the client that fetches from there, such as {@code SafeHttp.guardedClient()}, which checks every
   *     address a name resolves to and every socket before it connects; empty uses the client the API calls use
   */
  public GitHubClient(OkHttpClient http, String apiBase, String repo, TokenSource token, String userAgent, Clock clock,
      Predicate<HttpUrl> downloadTargets, Optional<OkHttpClient> storage) {
    HttpUrl base = HttpUrl.parse(apiBase);
    if (base == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + apiBase);
    }
    String[] ownerAndName = repo.split("/", 2);
    if (ownerAndName.length != 2) {
      throw new IllegalArgumentException("not owner/name: " + repo);
    }
    this.http = new GitHubHttp(http, storage, token, userAgent, clock);
    this.repoUrl = base.newBuilder().addPathSegment("repos").addPathSegment(ownerAndName[0]).addPathSegment(ownerAndName[1]).build();
    this.repo = repo;
    this.errors = new GitHubErrors(clock);
    this.directory = new WorkflowDirectory(clock, Duration.ofMinutes(10));
    this.clock = clock;
    this.downloadTargets = downloadTargets;
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
    return calls.behind(resolve(workflow, deadline, calls).thenCompose(idOrFile -> {
      HttpUrl url = workflowUrl(idOrFile).addPathSegment("runs")
          .addQueryParameter("per_page", Integer.toString(count))
          .addQueryParameter("exclude_pull_requests", "true").build();
      return json(url, Operation.READ_ACTIONS, workflowInWords(workflow), deadline, calls).thenApply(GitHubJson::runs);
    }));
  }

  /** The newest runs of all workflows in the repository, for when {@code STATUS_WORKFLOWS} is not set. */
  public CompletableFuture<List<WorkflowRun>> recentRuns(int count, Deadline deadline) {
    HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/runs")
        .addQueryParameter("per_page", Integer.toString(count))
        .addQueryParameter("exclude_pull_requests", "true").build();
    Calls calls = new Calls();
    return calls.behind(json(url, Operation.READ_ACTIONS, "repository " + repo, deadline, calls).thenApply(GitHubJson::runs));
  }

  /**
   * Starts a run of a workflow that has a {@code workflow_dispatch} trigger, and says which run when GitHub
   * tells (docs: https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event).
   *
   * <p>Sent at most once, because a repeated dispatch can start two deploys: not repeated after a timeout, a
   * dropped connection or a 5xx (the failure's message then says the run may have started and to look before
   * dispatching again), and OkHttp is kept from repeating it too. The one resend is for a GitHub Enterprise
   * Server (3.20 and older) that refuses the {@code return_run_details} field with a 400 naming it, before doing
   * anything: the dispatch then goes once more without the field, and its run must be found with
   * {@link #findDispatchedRun}.
   *
   * @param workflow a workflow file name, numeric id, or display name
   * @param ref the branch or tag whose workflow file runs
   * @param inputs strings for the inputs the workflow declares; an undeclared one fails with {@link Kind#INVALID_REQUEST}
   */
  public CompletableFuture<DispatchResult> dispatch(String workflow, String ref, Map<String, String> inputs, Deadline deadline) {
    if (ref == null || ref.isBlank()) {
      throw new IllegalArgumentException("a dispatch needs a ref");
    }
    Map<String, String> sent = Map.copyOf(inputs);
    Calls calls = new Calls();
    Instant requestedAt = clock.instant();
    // Finding a workflow named by its display name is a call of its own: its failure dispatched nothing.
    CompletableFuture<String> resolved = resolve(workflow, deadline, calls).exceptionally(failure -> {
      Throwable cause = Futures.cause(failure);
      if (cause instanceof GitHubException gitHub) {
        throw new CompletionException(gitHub.beforeSending("Nothing was dispatched."));
      }
      throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
    });
    return calls.behind(resolved.thenCompose(idOrFile -> dispatchTo(idOrFile, workflow, ref, sent, true, requestedAt, deadline, calls)));
  }

  private CompletableFuture<DispatchResult> dispatchTo(String idOrFile, String workflow, String ref, Map<String, String> inputs,
      boolean askForRun, Instant requestedAt, Deadline deadline, Calls calls) {
    ObjectNode body = Jackson.object().put("ref", ref);
    ObjectNode inputsNode = body.putObject("inputs");
    inputs.forEach(inputsNode::put);
    if (askForRun) {
      body.put(RETURN_RUN_DETAILS, true);
    }
    HttpUrl url = workflowUrl(idOrFile).addPathSegment("dispatches").build();
    return http.write(http.api(url).post(GitHubHttp.oneShotJson(body)).build(), Operation.DISPATCH, MAX_BODY_BYTES, deadline, calls)
        .thenCompose(reply -> {
          if (askForRun && reply.code() == 400 && reply.text().contains(RETURN_RUN_DETAILS)) {
            // A server that predates the field rejected the request as malformed: nothing started, so send it once more.
            return dispatchTo(idOrFile, workflow, ref, inputs, false, requestedAt, deadline, calls);
          }
          if (!reply.successful()) {
            throw new CompletionException(error(reply, Operation.DISPATCH, workflowInWords(workflow)));
          }
          return CompletableFuture.completedFuture(dispatched(reply, requestedAt));
        });
  }

  /** 200 with the run's id and page when asked for them; 204, or 200 without them, leaves the run unknown. */
  private static DispatchResult dispatched(Reply reply, Instant requestedAt) {
    if (reply.body().length == 0) {
      return new DispatchResult(Optional.empty(), Optional.empty(), requestedAt);
    }
    JsonNode json;
    try {
      json = Jackson.parse(reply.body());
    } catch (IOException e) {
      // The dispatch succeeded; only its details are unreadable, and the run can still be found by correlation id.
      return new DispatchResult(Optional.empty(), Optional.empty(), requestedAt);
    }
    JsonNode runId = json.path("workflow_run_id");
    return new DispatchResult(
        runId.canConvertToLong() && runId.isIntegralNumber() ? Optional.of(runId.asLong()) : Optional.empty(),
        Optional.ofNullable(json.path("html_url").textValue()),
        requestedAt);
  }

  /**
   * The run a dispatch started, found by the correlation id the workflow puts in its {@code run-name} (the run's
   * {@code display_title}; its {@code name} is searched too), among the workflow's {@code workflow_dispatch} runs created
   * since {@code since}. Empty while no run names the id: runs take a few seconds to appear, so ask again after
   * 5 seconds or more. Never guesses: another run, however recent, is not this dispatch's.
   *
   * @param correlationId one token of letters, digits, {@code _ . -}, matched whole ({@code c-42} is not {@code c-42b})
   * @param since an instant before the dispatch by our clock, such as {@link DispatchResult#requestedAt()}; take it
   *     earlier to allow for clock skew with GitHub, which costs nothing since the id decides
   */
  public CompletableFuture<Optional<WorkflowRun>> findDispatchedRun(String workflow, String correlationId, Instant since,
      Deadline deadline) {
    String id = CorrelationIds.requireValid(correlationId);
    Calls calls = new Calls();
    return calls.behind(resolve(workflow, deadline, calls).thenCompose(idOrFile -> {
      HttpUrl url = workflowUrl(idOrFile).addPathSegment("runs")
          .addQueryParameter("event", "workflow_dispatch")
          .addQueryParameter("created", ">=" + SEARCH_TIME.format(since))
          .addQueryParameter("per_page", Integer.toString(PER_PAGE))
          .addQueryParameter("exclude_pull_requests", "true").build();
      return json(url, Operation.READ_ACTIONS, workflowInWords(workflow), deadline, calls).thenApply(page ->
          GitHubJson.runs(page).stream()
              .filter(run -> "workflow_dispatch".equals(run.event()) && CorrelationIds.namedIn(run, id))
              // Two runs with one id would be one dispatch sent twice: the first is the one it started.
              .min(Comparator.comparing(WorkflowRun::createdAt).thenComparingLong(WorkflowRun::id)));
    }));
  }

  /** One run by its id (docs: https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run). */
  public CompletableFuture<WorkflowRun> run(long runId, Deadline deadline) {
    HttpUrl url = runUrl(runId).build();
    Calls calls = new Calls();
    return calls.behind(json(url, Operation.READ_ACTIONS, "run " + runId + " in " + repo, deadline, calls).thenApply(GitHubJson::run));
  }

  /**
   * The jobs of a run's latest attempt, with their steps; {@link RunJob#failed()} and {@link RunJob#failedSteps()}
   * say what broke.
   */
  public CompletableFuture<List<RunJob>> jobs(long runId, Deadline deadline) {
    HttpUrl url = runUrl(runId).addPathSegment("jobs").addQueryParameter("filter", "latest").build();
    Calls calls = new Calls();
    return calls.behind(pages(url, "jobs", MAX_PAGES * PER_PAGE, "jobs of run " + runId + " in " + repo, deadline, calls)
        .thenApply(pages -> pages.items().stream().map(GitHubJson::job).toList()));
  }

  /** The artifacts a run uploaded, expired ones included. */
  public CompletableFuture<List<Artifact>> artifacts(long runId, Deadline deadline) {
    HttpUrl url = runUrl(runId).addPathSegment("artifacts").build();
    Calls calls = new Calls();
    return calls.behind(pages(url, "artifacts", MAX_PAGES * PER_PAGE, "artifacts of run " + runId + " in " + repo, deadline, calls)
        .thenApply(pages -> pages.items().stream().map(GitHubJson::artifact).toList()));
  }

  /**
   * An artifact's zip archive. GitHub answers with a redirect to a short-lived storage URL; that is fetched
   * without our token, and only when the download-target check allows it (every redirect is checked).
   *
   * @param maxBytes the largest archive accepted; a larger one fails with {@link Kind#BAD_RESPONSE} unread
   */
  public CompletableFuture<ArtifactZip> downloadArtifact(long artifactId, long maxBytes, Deadline deadline) {
    HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/artifacts").addPathSegment(Long.toString(artifactId))
        .addPathSegment("zip").build();
    Download download = new Download("artifact " + artifactId + " in " + repo, maxBytes, deadline, new Calls());
    return download.calls.behind(http.download(http.api(url).build(), maxBytes, download.tooLarge(), deadline, download.calls)
        .thenCompose(reply -> downloaded(reply, url, 0, download, true)));
  }

  /** One artifact download in progress. */
  private record Download(String what, long maxBytes, Deadline deadline, Calls calls) {
    String tooLarge() {
      return "The " + what + " is larger than " + maxBytes + " bytes; it was not downloaded.";
    }
  }

  private CompletableFuture<ArtifactZip> downloaded(Reply reply, HttpUrl from, int redirects, Download download, boolean fromApi) {
    int code = reply.code();
    if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
      String location = reply.header("Location");
      HttpUrl target = location == null ? null : from.resolve(location);
      if (target == null || redirects >= MAX_REDIRECTS) {
        throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, code,
            "GitHub sent the download of " + download.what() + " nowhere we can follow (HTTP " + code + ")."));
      }
      if (!downloadTargets.test(target)) {
        // Scheme and host only: the rest of a storage URL is a short-lived credential.
        throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, code, "GitHub sent the download of " + download.what()
            + " to " + target.scheme() + "://" + target.host() + ", where the bot does not fetch from."));
      }
      // Built afresh, not from the request before: no Authorization header goes to the storage host.
      return http.fromStorage(http.anonymous(target).build(), download.maxBytes(), download.tooLarge(), download.deadline(),
          download.calls()).thenCompose(next -> downloaded(next, target, redirects + 1, download, false));
    }
    if (reply.successful()) {
      return CompletableFuture.completedFuture(new ArtifactZip(reply.body()));
    }
    if (fromApi) {
      throw new CompletionException(error(reply, Operation.READ_ACTIONS, download.what()));
    }
    throw new CompletionException(code >= 500
        ? new GitHubException(Kind.SERVER_ERROR, code, "GitHub's artifact storage is having trouble (HTTP " + code + "). Try again in a minute.")
        : new GitHubException(Kind.BAD_RESPONSE, code, "GitHub's artifact storage answered HTTP " + code + " for " + download.what()
            + "; its download link may have expired. Try again."));
  }

  /**
   * A repository variable's value, empty when the repository has no variable of that name
   * (docs: https://docs.github.com/en/rest/actions/variables).
   */
  public CompletableFuture<Optional<String>> variable(String name, Deadline deadline) {
    HttpUrl url = variableUrl(name).build();
    String what = variableInWords(name);
    Calls calls = new Calls();
    return calls.behind(http.read(http.api(url).build(), MAX_BODY_BYTES, TOO_LARGE, deadline, calls).thenApply(reply -> {
      if (reply.code() == 404) {
        return Optional.empty();
      }
      if (!reply.successful()) {
        throw new CompletionException(error(reply, Operation.READ_VARIABLES, what));
      }
      JsonNode value = parse(reply).path("value");
      if (!value.isTextual()) {
        throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, reply.code(), "GitHub sent " + what + " without a value."));
      }
      return Optional.of(value.textValue());
    }));
  }

  /**
   * The repository itself (docs: https://docs.github.com/en/rest/repos/repos#get-a-repository): what answers
   * whether the token is valid (401) and can see {@code GITHUB_REPO} (404 when it cannot, even if it exists).
   */
  public CompletableFuture<Repository> repository(Deadline deadline) {
    Calls calls = new Calls();
    return calls.behind(json(repoUrl, Operation.READ_ACTIONS, "repository " + repo, deadline, calls).thenApply(json ->
        new Repository(json.path("full_name").asText(repo), json.path("private").asBoolean(false),
            json.path("default_branch").asText(""))));
  }

  /**
   * Every workflow of the repository, active or not
   * (docs: https://docs.github.com/en/rest/actions/workflows#list-repository-workflows).
   */
  public CompletableFuture<List<Workflow>> workflows(Deadline deadline) {
    HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/workflows").build();
    Calls calls = new Calls();
    return calls.behind(pages(url, "workflows", MAX_PAGES * PER_PAGE, "repository " + repo, deadline, calls)
        .thenApply(pages -> pages.items().stream()
            .map(item -> new Workflow(item.path("id").asLong(), item.path("name").asText(""), item.path("path").asText(""),
                item.path("state").asText("")))
            .toList()));
  }

  /**
   * A workflow file's text as it is on {@code ref}, empty when the file is not there
   * (docs: https://docs.github.com/en/rest/repos/contents#get-repository-content). A dispatch runs the file of the
   * ref it names, so that is the one whose trigger and inputs count.
   *
   * @param path the file, such as {@code .github/workflows/deploy.yml} ({@link Workflow#path()})
   */
  public CompletableFuture<Optional<String>> workflowFile(String path, String ref, Deadline deadline) {
    HttpUrl url = repoUrl.newBuilder().addPathSegment("contents").addPathSegments(path).addQueryParameter("ref", ref).build();
    String what = "file " + path + " on " + ref + " in " + repo;
    Calls calls = new Calls();
    return calls.behind(http.read(http.api(url).build(), MAX_BODY_BYTES, TOO_LARGE, deadline, calls).thenApply(reply -> {
      if (reply.code() == 404) {
        return Optional.empty();
      }
      if (!reply.successful()) {
        throw new CompletionException(error(reply, Operation.READ_CONTENTS, what));
      }
      JsonNode file = parse(reply);
      // Files over 1 MB come without content ("encoding": "none"); a workflow file is far smaller.
      if (!"base64".equals(file.path("encoding").asText()) || !file.path("content").isTextual()) {
        throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, reply.code(),
            "GitHub sent the " + what + " without its content (is it a file, and under 1 MB?)."));
      }
      try {
        // GitHub breaks the base64 into lines.
        byte[] bytes = java.util.Base64.getMimeDecoder().decode(file.path("content").textValue());
        return Optional.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, "GitHub sent the " + what + " in base64 we could not read.", e));
      }
    }));
  }

  /**
   * How many variables the repository has, asked for with a page of one
   * (docs: https://docs.github.com/en/rest/actions/variables#list-repository-variables); fails with
   * {@link Kind#FORBIDDEN} when the token may not read variables.
   */
  public CompletableFuture<Long> countVariables(Deadline deadline) {
    HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/variables").addQueryParameter("per_page", "1").build();
    Calls calls = new Calls();
    return calls.behind(json(url, Operation.READ_VARIABLES, "the variables of " + repo, deadline, calls)
        .thenApply(json -> json.path("total_count").asLong(0)));
  }

  /**
   * Sets a repository variable: updates it, or creates it when GitHub says it does not exist yet. Each request
   * is sent at most once, like {@link #dispatch}: a failure whose outcome is unknown says to read the variable
   * back rather than repeat.
   */
  public CompletableFuture<VariableWrite> setVariable(String name, String value, Deadline deadline) {
    HttpUrl url = variableUrl(name).build();
    String what = variableInWords(name);
    Calls calls = new Calls();
    ObjectNode update = Jackson.object().put("value", value);
    return calls.behind(http.write(http.api(url).patch(GitHubHttp.oneShotJson(update)).build(), Operation.WRITE_VARIABLES,
        MAX_BODY_BYTES, deadline, calls).thenCompose(updated -> {
          if (updated.successful()) {
            return CompletableFuture.completedFuture(VariableWrite.UPDATED);
          }
          if (updated.code() != 404) {
            throw new CompletionException(error(updated, Operation.WRITE_VARIABLES, what));
          }
          // No such variable yet: the update changed nothing, so creating it is not a repeat.
          HttpUrl create = repoUrl.newBuilder().addPathSegments("actions/variables").build();
          ObjectNode variable = Jackson.object().put("name", name).put("value", value);
          return http.write(http.api(create).post(GitHubHttp.oneShotJson(variable)).build(), Operation.WRITE_VARIABLES,
              MAX_BODY_BYTES, deadline, calls).thenApply(created -> {
                if (!created.successful()) {
                  throw new CompletionException(error(created, Operation.WRITE_VARIABLES, what));
                }
                return VariableWrite.CREATED;
              });
        }));
  }

  /**
   * The completed runs of a workflow created in {@code [from, to)}, newest first, for a digest: pages of 100
   * through GitHub's {@code created} range filter, stopping at {@code maxRuns}.
   * {@link CompletedRuns#truncated()} says whether more runs matched than were fetched.
   */
  public CompletableFuture<CompletedRuns> runsCompletedBetween(String workflow, Instant from, Instant to, int maxRuns,
      Deadline deadline) {
    if (!from.isBefore(to) || maxRuns < 1) {
      throw new IllegalArgumentException("need from < to and maxRuns >= 1, got " + from + ", " + to + ", " + maxRuns);
    }
    Calls calls = new Calls();
    return calls.behind(resolve(workflow, deadline, calls).thenCompose(idOrFile -> {
      // The range is inclusive and whole seconds: ask up to the second after `to`, drop what is not before it.
      Instant upTo = to.truncatedTo(ChronoUnit.SECONDS).equals(to) ? to : to.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      HttpUrl url = workflowUrl(idOrFile).addPathSegment("runs")
          .addQueryParameter("created", SEARCH_TIME.format(from) + ".." + SEARCH_TIME.format(upTo))
          .addQueryParameter("status", "completed")
          .addQueryParameter("exclude_pull_requests", "true").build();
      return pages(url, "workflow_runs", maxRuns, workflowInWords(workflow), deadline, calls).thenApply(pages -> {
        // A run that completes while we page shifts the pages by one: count each run once.
        Set<Long> seen = new HashSet<>();
        List<WorkflowRun> runs = new ArrayList<>();
        for (JsonNode item : pages.items()) {
          WorkflowRun run = GitHubJson.run(item);
          if (seen.add(run.id()) && "completed".equals(run.status()) && !run.createdAt().isBefore(from) && run.createdAt().isBefore(to)) {
            runs.add(run);
          }
        }
        return new CompletedRuns(runs, pages.truncated());
      });
    }));
  }

  /** The items of a list endpoint's pages, and whether more matched than were fetched. */
  private record Pages(List<JsonNode> items, boolean truncated) {}

  private CompletableFuture<Pages> pages(HttpUrl url, String field, int maxItems, String what, Deadline deadline, Calls calls) {
    return page(url, 1, field, maxItems, new ArrayList<>(), 0, what, deadline, calls);
  }

  private CompletableFuture<Pages> page(HttpUrl url, int number, String field, int maxItems, List<JsonNode> items, long seenBefore,
      String what, Deadline deadline, Calls calls) {
    HttpUrl pageUrl = url.newBuilder().setQueryParameter("per_page", Integer.toString(PER_PAGE))
        .setQueryParameter("page", Integer.toString(number)).build();
    return json(pageUrl, Operation.READ_ACTIONS, what, deadline, calls).thenCompose(json -> {
      JsonNode array = GitHubJson.array(json, field);
      boolean dropped = false;
      for (JsonNode item : array) {
        if (items.size() < maxItems) {
          items.add(item);
        } else {
          dropped = true;
        }
      }
      long seen = seenBefore + array.size();
      JsonNode total = json.path("total_count");
      // A short page is the last one; a full page is followed by more unless the total says otherwise.
      boolean more = array.size() >= PER_PAGE && (!total.canConvertToLong() || total.asLong() > seen);
      if (!more || items.size() >= maxItems || number >= MAX_PAGES) {
        return CompletableFuture.completedFuture(new Pages(items, dropped || more));
      }
      return page(url, number + 1, field, maxItems, items, seen, what, deadline, calls);
    });
  }

  /** A workflow's file name or id as the API takes it; a display name is looked up in the workflow list. */
  private CompletableFuture<String> resolve(String workflow, Deadline deadline, Calls calls) {
    if (WorkflowDirectory.isFileNameOrId(workflow)) {
      return CompletableFuture.completedFuture(workflow);
    }
    return workflowId(workflow, deadline, calls).thenApply(id -> Long.toString(id));
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
    // The request's own deadline: a lookup that may wait longer does not join it.
    final Instant until;
    CompletableFuture<JsonNode> result;

    Listing(Instant until) {
      this.until = until;
    }
    // Guarded by the client.
    int waiters;
  }

  /**
   * The repository's workflow list, loaded into the directory. Lookups of several display names at once
   * (one {@code /status} with {@code STATUS_WORKFLOWS=Deploy,Rollback}) share one request, which is
   * cancelled when the last lookup waiting for it is. A lookup whose deadline is later than the request's
   * starts its own, so that every lookup waits as long as its own budget allows.
   */
  private synchronized CompletableFuture<JsonNode> workflowListing(Deadline deadline, Calls lookup) {
    Listing joined = listing;
    if (joined == null || deadline.at().isAfter(joined.until)) {
      Listing started = new Listing(deadline.at());
      listing = started;
      HttpUrl url = repoUrl.newBuilder().addPathSegments("actions/workflows").addQueryParameter("per_page", "100").build();
      started.result = json(url, Operation.READ_ACTIONS, "repository " + repo, deadline, started.calls).thenApply(json -> {
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

  /** A GET whose answer must be a 2xx JSON document. */
  private CompletableFuture<JsonNode> json(HttpUrl url, Operation operation, String what, Deadline deadline, Calls calls) {
    return http.read(http.api(url).build(), MAX_BODY_BYTES, TOO_LARGE, deadline, calls).thenApply(reply -> {
      if (!reply.successful()) {
        throw new CompletionException(error(reply, operation, what));
      }
      return parse(reply);
    });
  }

  private static JsonNode parse(Reply reply) {
    try {
      return Jackson.parse(reply.body());
    } catch (IOException e) {
      throw new CompletionException(new GitHubException(Kind.BAD_RESPONSE, "GitHub sent a response we could not read.", e));
    }
  }

  private GitHubException error(Reply reply, Operation operation, String what) {
    if (reply.code() == 401 && !"GITHUB_TOKEN".equals(http.tokenOrigin())) {
      // Read again after the first 401 and still rejected (GitHubHttp): the secret holds a bad token.
      return new GitHubException(Kind.UNAUTHORIZED, 401, "GitHub rejected our token (HTTP 401), read from " + http.tokenOrigin()
          + ". An admin should put a valid token there (RUNBOOK.md, \"Rotate a secret\").");
    }
    return errors.fromResponse(reply.code(), operation, what, reply.header("x-ratelimit-remaining"), reply.header("x-ratelimit-reset"),
        reply.header("retry-after"), reply.text());
  }

  private HttpUrl.Builder workflowUrl(String idOrFile) {
    return repoUrl.newBuilder().addPathSegments("actions/workflows").addPathSegment(idOrFile);
  }

  private HttpUrl.Builder runUrl(long runId) {
    return repoUrl.newBuilder().addPathSegments("actions/runs").addPathSegment(Long.toString(runId));
  }

  private HttpUrl.Builder variableUrl(String name) {
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a variable name GitHub accepts: " + name);
    }
    return repoUrl.newBuilder().addPathSegments("actions/variables").addPathSegment(name);
  }

  private String workflowInWords(String workflow) {
    return "workflow `" + workflow + "` in " + repo;
  }

  private String variableInWords(String name) {
    return "variable " + name + " in " + repo;
  }
}
