package dev.valine.orchestrator.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.github.GitHubErrors.Operation;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.secrets.SecretUnavailableException;
import dev.valine.orchestrator.secrets.TokenSource;
import dev.valine.orchestrator.time.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * One HTTP exchange with GitHub, or with the storage GitHub sends an artifact download to. The call's timeout
 * is what the deadline has left, cancelling its {@link Calls} aborts it, and its body is read whole but never
 * past a size bound, also when chunked. Transport failures become {@link GitHubException}s that say how long
 * we really waited; what an HTTP status means is left to the caller.
 *
 * <p>Three clients share one connection pool. Reads use the client as configured: a GET may follow GitHub's
 * redirects (a renamed repository), and OkHttp drops the Authorization header on a redirect to another host.
 * Downloads follow no redirect by themselves, so that the caller checks every target. Writes are sent at most
 * once: no retry after a connection failure, no redirect, and a one-shot body, which also stops OkHttp from
 * repeating a request on its own after a 408 or a 503 with {@code Retry-After: 0}.
 *
 * <p>The token is asked of its {@link TokenSource} as each API request is sent. When GitHub answers 401 to a token
 * read from Secrets Manager, the secret is read again and, if that gives another token (it was rotated), the
 * request is sent once more with it: a write too, since GitHub did nothing with a request it did not authenticate.
 * A 401 to the renewed token is the answer. A secret that cannot be read fails the request as
 * {@link Kind#CREDENTIALS_UNAVAILABLE}, never as a 401 GitHub did not send.
 */
final class GitHubHttp {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitHubHttp.class);

  /** What came back: the status, the headers and the whole body. */
  record Reply(int code, Headers headers, byte[] body) {
    boolean successful() {
      return code >= 200 && code < 300;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The header's value, null when absent. */
    String header(String name) {
      return headers.get(name);
    }
  }

  private final OkHttpClient reads;
  private final OkHttpClient downloads;
  private final OkHttpClient storage;
  private final OkHttpClient writes;
  private final TokenSource token;
  private final String userAgent;
  private final Clock clock;

  GitHubHttp(OkHttpClient http, TokenSource token, String userAgent, Clock clock) {
    this(http, Optional.empty(), token, userAgent, clock);
  }

  /** @param storage the client for the storage an artifact download is redirected to; else the downloads' own */
  GitHubHttp(OkHttpClient http, Optional<OkHttpClient> storage, TokenSource token, String userAgent, Clock clock) {
    this.reads = http;
    this.downloads = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
    this.storage = storage.map(client -> client.newBuilder().followRedirects(false).followSslRedirects(false).build()).orElse(downloads);
    this.writes = downloads.newBuilder().retryOnConnectionFailure(false).build();
    this.token = token;
    this.userAgent = userAgent;
    this.clock = clock;
  }

  /** A request to GitHub's REST API, with its headers; our token is added as it is sent. */
  Request.Builder api(HttpUrl url) {
    return new Request.Builder().url(url)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", GitHubClient.API_VERSION)
        .header("User-Agent", userAgent)
        .tag(Authorized.class, Authorized.YES);
  }

  /** Marks a request that carries our token; a redirect target built with {@link #anonymous} has no mark. */
  private enum Authorized { YES }

  /** Where the token comes from, for messages: {@code GITHUB_TOKEN}, or the secret and its key. */
  String tokenOrigin() {
    return token.origin();
  }

  /** A request to somewhere GitHub pointed us: no token, no GitHub headers. */
  Request.Builder anonymous(HttpUrl url) {
    return new Request.Builder().url(url).header("User-Agent", userAgent);
  }

  /** A JSON request body that OkHttp can send only once (see the class comment). */
  static RequestBody oneShotJson(JsonNode json) {
    byte[] bytes = Jackson.text(json).getBytes(StandardCharsets.UTF_8);
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public long contentLength() {
        return bytes.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(bytes);
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
  }

  CompletableFuture<Reply> read(Request request, long maxBytes, String tooLarge, Deadline deadline, Calls calls) {
    return send(reads, request, maxBytes, tooLarge, Optional.empty(), deadline, calls);
  }

  /** Like {@link #read}, but a redirect comes back as it is, for the caller to check. */
  CompletableFuture<Reply> download(Request request, long maxBytes, String tooLarge, Deadline deadline, Calls calls) {
    return send(downloads, request, maxBytes, tooLarge, Optional.empty(), deadline, calls);
  }

  /** Like {@link #download}, to the storage a download was redirected to, on the storage client. */
  CompletableFuture<Reply> fromStorage(Request request, long maxBytes, String tooLarge, Deadline deadline, Calls calls) {
    return send(storage, request, maxBytes, tooLarge, Optional.empty(), deadline, calls);
  }

  /** Sent at most once; a failure after it may have reached GitHub says so, with what to check. */
  CompletableFuture<Reply> write(Request request, Operation operation, long maxBytes, Deadline deadline, Calls calls) {
    Optional<String> unsure = operation.unsureOutcome();
    return send(writes, request, maxBytes, "GitHub sent an unexpectedly large response." + unsure.map(s -> " " + s).orElse(""),
        unsure, deadline, calls);
  }

  private CompletableFuture<Reply> send(OkHttpClient client, Request request, long maxBytes, String tooLarge,
      Optional<String> unsure, Deadline deadline, Calls calls) {
    if (request.tag(Authorized.class) == null) {
      return exchange(client, request, maxBytes, tooLarge, unsure, deadline, calls);
    }
    Optional<Secret> sent;
    try {
      sent = token.token();
    } catch (SecretUnavailableException e) {
      return unavailable(e, true);
    }
    return exchange(client, authorized(request, sent), maxBytes, tooLarge, unsure, deadline, calls).thenCompose(reply -> {
      if (reply.code() != 401 || sent.isEmpty()) {
        return CompletableFuture.completedFuture(reply);
      }
      boolean renewed;
      try {
        renewed = token.renew(sent.get());
      } catch (SecretUnavailableException e) {
        return unavailable(e, false);
      }
      if (!renewed) {
        return CompletableFuture.completedFuture(reply);
      }
      Optional<Secret> fresh;
      try {
        fresh = token.token();
      } catch (SecretUnavailableException e) {
        return unavailable(e, false);
      }
      LOG.warn("GitHub answered HTTP 401; sending {} once more with the token read again from {}", request.method(), token.origin());
      // Once: whatever GitHub answers the renewed token is the answer.
      return exchange(client, authorized(request, fresh), maxBytes, tooLarge, unsure, deadline, calls);
    });
  }

  private static Request authorized(Request request, Optional<Secret> token) {
    Request.Builder builder = request.newBuilder().removeHeader("Authorization");
    token.ifPresent(secret -> builder.header("Authorization", "Bearer " + secret.reveal()));
    return builder.build();
  }

  /**
   * The token's secret could not be read, so the request was not sent, or after GitHub's 401 not sent again: either
   * way GitHub did nothing it asked for.
   *
   * @param neverSent whether this was before the first send; after a 401 the request did reach GitHub
   */
  private static CompletableFuture<Reply> unavailable(SecretUnavailableException e, boolean neverSent) {
    return CompletableFuture.failedFuture(new GitHubException(Kind.CREDENTIALS_UNAVAILABLE, e.userMessage(), e, neverSent));
  }

  private CompletableFuture<Reply> exchange(OkHttpClient client, Request request, long maxBytes, String tooLarge,
      Optional<String> unsure, Deadline deadline, Calls calls) {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    Duration remaining = deadline.remaining();
    if (remaining.isZero()) {
      // Nothing was sent, so a write did not happen either.
      result.completeExceptionally(new GitHubException(Kind.TIMEOUT, "GitHub did not answer in time. Try again in a moment.", null,
          true));
      return result;
    }
    Call call = client.newCall(request);
    call.timeout().timeout(remaining.toMillis(), TimeUnit.MILLISECONDS);
    // OkHttp cancels a call whose timeout struck too, so remember which cancellations were ours. A call that
    // already answered (an earlier page, the redirect before a download) is left alone.
    AtomicBoolean abandoned = new AtomicBoolean();
    calls.add(() -> {
      if (!result.isDone()) {
        abandoned.set(true);
        call.cancel();
      }
    });
    Instant sent = clock.instant();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call failed, IOException e) {
        if (abandoned.get()) {
          // Whoever cancelled no longer waits for an answer.
          result.cancel(false);
        } else if (e instanceof InterruptedIOException) {
          // How long we really waited, which is not the budget when another timeout struck first.
          result.completeExceptionally(new GitHubException(Kind.TIMEOUT, "GitHub did not answer within "
              + seconds(Duration.between(sent, clock.instant())) + " s. " + unsure.orElse("Try again in a moment."), e));
        } else {
          // A connection that was never made carried no request; any other failure may have come after it was sent.
          boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException;
          // A name that did not resolve, or resolved to an address the checks refuse, says which in its message.
          String why = e instanceof UnknownHostException && e.getMessage() != null ? ": " + e.getMessage() : "";
          result.completeExceptionally(new GitHubException(Kind.NETWORK, "Could not reach GitHub (" + e.getClass().getSimpleName()
              + why + "). " + (notSent ? "Try again in a moment." : unsure.orElse("Try again in a moment.")), e, notSent));
        }
      }

      @Override
      public void onResponse(Call ok, Response response) {
        try (response) {
          ResponseBody body = response.body();
          // Content-Length when sent; a chunked body is read up to one byte past the limit, never further.
          BufferedSource source = body.source();
          if (body.contentLength() > maxBytes || source.request(maxBytes + 1)) {
            result.completeExceptionally(new GitHubException(Kind.BAD_RESPONSE, response.code(), tooLarge));
            return;
          }
          result.complete(new Reply(response.code(), response.headers(), source.readByteArray()));
        } catch (IOException e) {
          onFailure(ok, e);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    });
    return result;
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }
}
