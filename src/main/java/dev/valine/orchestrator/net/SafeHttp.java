package dev.valine.orchestrator.net;

import dev.valine.orchestrator.time.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Fetches URLs that users supplied under the URL rules of docs/security.md. Every URL, the first and each
 * redirect's, passes {@link UrlPolicy}; every name is resolved through {@link CheckingDns} and every socket
 * checks its address before connecting, so a name or redirect that leads to a loopback, private,
 * link-local or reserved address is refused before anything is sent there. Redirects are followed here,
 * at most {@link #MAX_REDIRECTS}, never from https to http; each request's timeout is what is left of the
 * caller's {@link Deadline}, and at most a fixed number of body bytes is read.
 *
 * <p>Calls are asynchronous, so that a {@code /verify-*} command can run its checks in parallel.
 * Cancelling a returned future cancels the request under way and stops the chain. Thread-safe.
 */
public final class SafeHttp {
  /** Redirects followed before giving up; browsers allow 20, but a deployed site needs one or two. */
  public static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS");
  // Sent to the origin they were meant for only, as browsers and OkHttp's own redirect code do.
  private static final List<String> ORIGIN_BOUND_HEADERS = List.of("Authorization", "Cookie", "Proxy-Authorization");

  private final OkHttpClient http;
  private final UrlPolicy policy;
  private final long maxBodyBytes;
  private final Clock clock;

  /**
   * @param shared the container's client, whose connection pool and dispatcher are reused; its redirect,
   *     proxy, DNS and socket settings are replaced
   * @param maxBodyBytes the most body bytes read from a response, with or without Content-Length
   */
  public SafeHttp(OkHttpClient shared, UrlPolicy policy, long maxBodyBytes, Clock clock) {
    this(shared, policy, Dns.SYSTEM, maxBodyBytes, clock);
  }

  /** @param resolver the name resolver under the checks; tests pass a fixed table so that no test asks real DNS */
  public SafeHttp(OkHttpClient shared, UrlPolicy policy, Dns resolver, long maxBodyBytes, Clock clock) {
    if (maxBodyBytes < 0 || maxBodyBytes == Long.MAX_VALUE) {
      throw new IllegalArgumentException("maxBodyBytes must be from 0 to Long.MAX_VALUE - 1: " + maxBodyBytes);
    }
    this.http = shared.newBuilder()
        // Redirects are followed by us, so that each one is checked against the rules first.
        .followRedirects(false)
        .followSslRedirects(false)
        .dns(new CheckingDns(resolver, policy.addresses()))
        .socketFactory(new CheckingSocketFactory(policy.addresses()))
        // A proxy would resolve and connect for us, out of the checks' sight.
        .proxy(Proxy.NO_PROXY)
        .build();
    this.policy = policy;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /**
   * The OkHttp client under the checks: every name it resolves and every socket it opens is checked, it uses no
   * proxy and follows no redirect. For a caller that follows redirects itself and checks each URL's text with
   * {@link #policy()} first, as the artifact download does.
   */
  public OkHttpClient guardedClient() {
    return http;
  }

  /** The rules this client applies, for a check of a URL's text alone (no name is resolved). */
  public UrlPolicy policy() {
    return policy;
  }

  /**
   * Checks a URL the bot will not fetch now but hand on (a workflow input, a repository variable) by the same
   * rules as a fetch: the text by {@link UrlPolicy#check(String)}, then every address its host resolves to.
   * Resolving blocks; call it on a worker, not where a reply waits.
   *
   * @return the URL in canonical form
   * @throws UrlRefusedException saying why, without echoing the URL
   */
  public HttpUrl checkTarget(String text) throws UrlRefusedException {
    HttpUrl url = policy.check(text);
    try {
      http.dns().lookup(url.host());
    } catch (RefusedAddressException e) {
      throw new UrlRefusedException(e.getMessage());
    } catch (java.net.UnknownHostException e) {
      throw new UrlRefusedException("The host " + url.host() + " could not be resolved: check the name.");
    }
    return url;
  }

  /** {@code GET url}. The returned future fails with a {@link FetchException}. */
  public CompletableFuture<Fetched> get(HttpUrl url, Deadline deadline) {
    return fetch("GET", url, Headers.of(), deadline);
  }

  /**
   * One request and the redirects after it.
   *
   * @param method GET, HEAD or OPTIONS (a CORS preflight, with the caller's Origin and Access-Control-Request-*
   *     headers); methods with a body are not needed to verify a deployment and are not supported
   * @return a future with the last response, or failed with a {@link FetchException}
   */
  public CompletableFuture<Fetched> fetch(String method, HttpUrl url, Headers headers, Deadline deadline) {
    String upper = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(upper)) {
      throw new IllegalArgumentException("unsupported method " + method + "; use one of " + METHODS);
    }
    Chain chain = new Chain(url, deadline);
    chain.result.whenComplete((fetched, failure) -> {
      if (chain.result.isCancelled()) {
        chain.cancel();
      }
    });
    chain.send(url, upper, headers);
    return chain.result;
  }

  /** The request a redirect leads to. */
  private record Hop(HttpUrl url, String method, Headers headers) {
  }

  /** One fetch: its requests, one after another as redirects lead. */
  private final class Chain {
    final CompletableFuture<Fetched> result = new CompletableFuture<>();
    private final HttpUrl asked;
    private final Deadline deadline;
    private final Instant started;
    private final List<HttpUrl> redirects = new ArrayList<>();
    // Guarded by this.
    private Call current;
    private boolean cancelled;

    Chain(HttpUrl asked, Deadline deadline) {
      this.asked = asked;
      this.deadline = deadline;
      this.started = clock.instant();
    }

    void send(HttpUrl target, String method, Headers headers) {
      HttpUrl url;
      try {
        url = policy.check(target);
      } catch (UrlRefusedException e) {
        fail(FetchException.Kind.REFUSED, redirectedTo() + e.getMessage(), null);
        return;
      }
      Duration remaining = deadline.remaining();
      if (remaining.isZero()) {
        fail(FetchException.Kind.TIMEOUT, host(url) + " did not answer in time.", null);
        return;
      }
      Call call = http.newCall(new Request.Builder().url(url).method(method, null).headers(headers).build());
      call.timeout().timeout(remaining.toMillis(), TimeUnit.MILLISECONDS);
      synchronized (this) {
        if (cancelled) {
          return;
        }
        current = call;
      }
      Instant sent = clock.instant();
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call failed, IOException e) {
          failed(url, sent, e);
        }

        @Override
        public void onResponse(Call ok, Response response) {
          Hop next;
          try (response) {
            next = received(url, method, headers, response);
          } catch (IOException e) {
            failed(url, sent, e);
            return;
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
          }
          // Sent once this response is closed, so its connection can serve the next request.
          if (next != null) {
            send(next.url(), next.method(), next.headers());
          }
        }
      });
    }

    /** Completes the result with a final response, or returns the redirect to follow (null when refused). */
    private Hop received(HttpUrl url, String method, Headers headers, Response response) throws IOException {
      String location = response.header("Location");
      if (!REDIRECTS.contains(response.code()) || location == null) {
        BufferedSource source = response.body().source();
        // Reads until one byte past the limit is buffered or the body ends, whatever Content-Length says.
        boolean truncated = source.request(maxBodyBytes + 1);
        ByteString body = source.readByteString(Math.min(maxBodyBytes, source.getBuffer().size()));
        result.complete(new Fetched(response.code(), url, redirects, response.headers(),
            Duration.between(started, clock.instant()), body, truncated));
        return null;
      }
      redirects.add(url);
      if (redirects.size() > MAX_REDIRECTS) {
        fail(FetchException.Kind.TOO_MANY_REDIRECTS, host(asked) + " redirected more than " + MAX_REDIRECTS
            + " times; the bot stops there. Check the site's redirects, or give the final URL.", null);
        return null;
      }
      HttpUrl next = url.resolve(location);
      if (next == null) {
        fail(FetchException.Kind.REFUSED, redirectedTo() + "a Location that is not an http(s) URL; the bot does not follow it.", null);
        return null;
      }
      if (url.isHttps() && !next.isHttps()) {
        fail(FetchException.Kind.REFUSED, redirectedTo() + "plain http (" + host(next) + "); the bot does not follow a "
            + "redirect from https to http.", null);
        return null;
      }
      // A fragment is never sent and a Location may carry one (RFC 9110 section 10.2.2): drop it.
      next = next.newBuilder().fragment(null).build();
      boolean sameOrigin = next.scheme().equals(url.scheme()) && next.host().equals(url.host()) && next.port() == url.port();
      Headers.Builder nextHeaders = headers.newBuilder();
      if (!sameOrigin) {
        ORIGIN_BOUND_HEADERS.forEach(nextHeaders::removeAll);
      }
      // 303 means "GET the other resource"; the other codes keep the method (ours carry no body).
      String nextMethod = response.code() == 303 && !method.equals("HEAD") ? "GET" : method;
      return new Hop(next, nextMethod, nextHeaders.build());
    }

    private void failed(HttpUrl url, Instant sent, IOException e) {
      // Not call.isCanceled(): OkHttp cancels a call whose timeout struck too, and that is a timeout to report.
      synchronized (this) {
        if (cancelled) {
          // Whoever cancelled no longer waits for an answer.
          return;
        }
      }
      Optional<RefusedAddressException> refused = refusedIn(e);
      if (refused.isPresent()) {
        fail(FetchException.Kind.REFUSED, redirectedTo() + refused.get().getMessage(), e);
      } else if (e instanceof InterruptedIOException) {
        fail(FetchException.Kind.TIMEOUT, host(url) + " did not answer within "
            + String.format(Locale.ROOT, "%.1f", Duration.between(sent, clock.instant()).toMillis() / 1000.0) + " s.", e);
      } else {
        fail(FetchException.Kind.NETWORK, "Could not reach " + host(url) + " (" + e.getClass().getSimpleName() + ").", e);
      }
    }

    /** "… redirected to " when the URL at fault came from a redirect, so the user knows it was not theirs. */
    private String redirectedTo() {
      return redirects.isEmpty() ? "" : host(asked) + " redirected to a URL the bot will not fetch: ";
    }

    private void fail(FetchException.Kind kind, String message, Throwable cause) {
      result.completeExceptionally(new FetchException(kind, message, cause));
    }

    void cancel() {
      Call call;
      synchronized (this) {
        cancelled = true;
        call = current;
      }
      if (call != null) {
        call.cancel();
      }
    }
  }

  /**
   * The refusal behind a failed call. OkHttp may wrap it, or attach it as suppressed when it tried
   * several addresses, so the whole tree is searched.
   */
  static Optional<RefusedAddressException> refusedIn(Throwable failure) {
    if (failure == null) {
      return Optional.empty();
    }
    if (failure instanceof RefusedAddressException refused) {
      return Optional.of(refused);
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      Optional<RefusedAddressException> found = refusedIn(suppressed);
      if (found.isPresent()) {
        return found;
      }
    }
    return refusedIn(failure.getCause());
  }

  private static String host(HttpUrl url) {
    return url.host().contains(":") ? "[" + url.host() + "]" : url.host();
  }
}
