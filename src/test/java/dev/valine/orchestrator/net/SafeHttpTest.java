package dev.valine.orchestrator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.time.Deadline;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher against MockWebServer on loopback. Names resolve through a fixed table, never real DNS;
 * the one public site a test needs is played by an interceptor that answers before any connection.
 */
class SafeHttpTest {
  private static final long MAX_BODY = 1_000;

  private final MockWebServer server = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T09:00:00Z"));
  private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
  // Unknown names fail as a real resolver would; "public.test" is deliberately absent (see publicSiteRedirectingTo).
  private final Dns resolver = host -> {
    List<InetAddress> addresses = names.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host + " is not in the test's table");
    }
    return addresses;
  };
  private final UrlPolicy dev = new UrlPolicy(List.of(), true);
  private final UrlPolicy publicOnly = new UrlPolicy(List.of(), false);
  private final CountDownLatch release = new CountDownLatch(1);

  // One certificate for the class: making it starts keytool.
  @TempDir
  static Path certificates;
  private static TestTls tls;

  private static synchronized TestTls tls() throws Exception {
    if (tls == null) {
      tls = TestTls.forHost("loopback.test", certificates);
    }
    return tls;
  }

  @BeforeEach
  void start() throws Exception {
    server.start();
    names.put("loopback.test", List.of(server.getSocketAddress().getAddress()));
    names.put("metadata.test", List.of(InetAddress.getByName("169.254.169.254")));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
  }

  private SafeHttp http(UrlPolicy policy) {
    return http(policy, new OkHttpClient());
  }

  private SafeHttp http(UrlPolicy policy, OkHttpClient shared) {
    return new SafeHttp(shared, policy, resolver, MAX_BODY, time);
  }

  private HttpUrl loopback(String path) {
    return HttpUrl.get("http://loopback.test:" + server.getPort() + path);
  }

  private Deadline deadline() {
    return Deadline.of(time.instant(), Duration.ofSeconds(30), time);
  }

  private static MockResponse redirect(int code, String location) {
    return new MockResponse.Builder().code(code).setHeader("Location", location).build();
  }

  private static FetchException failure(CompletableFuture<Fetched> fetch) throws Exception {
    ExecutionException error = assertThrows(ExecutionException.class, () -> fetch.get(10, TimeUnit.SECONDS));
    assertTrue(error.getCause() instanceof FetchException, String.valueOf(error.getCause()));
    return (FetchException) error.getCause();
  }

  /** A public site, played before any connection is made, that redirects to {@code location}. */
  private static Interceptor publicSiteRedirectingTo(String location) {
    return chain -> {
      if (!chain.request().url().host().equals("public.test")) {
        return chain.proceed(chain.request());
      }
      return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(302).message("Found")
          .header("Location", location).body(ResponseBody.create("", null)).build();
    };
  }

  @Test
  void reachesALoopbackServerWhenPrivateTargetsAreAllowed() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Cache-Control", "max-age=60").body("<html>ok</html>").build());

    Fetched fetched = http(dev).get(loopback("/index.html"), deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(200, fetched.status());
    assertEquals(loopback("/index.html"), fetched.url());
    assertEquals(List.of(), fetched.redirects());
    assertEquals("max-age=60", fetched.headers().get("Cache-Control"));
    assertEquals("<html>ok</html>", fetched.text());
    assertEquals(15, fetched.bytesRead());
    assertFalse(fetched.truncated());
    assertEquals(Duration.ZERO, fetched.elapsed(), "measured on the injected clock, which did not move");
    assertEquals("/index.html", server.takeRequest().getUrl().encodedPath());
  }

  @Test
  void reachesALoopbackAddressWrittenAsALiteralWhenPrivateTargetsAreAllowed() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());

    // server.url() names "localhost"; this is the address it is bound to, which OkHttp connects to without DNS.
    HttpUrl literal = server.url("/").newBuilder().host(server.getSocketAddress().getAddress().getHostAddress()).build();

    Fetched fetched = http(dev).get(literal, deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(204, fetched.status());
  }

  @Test
  void refusesANameThatResolvesToLoopbackAndSendsNothing() throws Exception {
    FetchException error = failure(http(publicOnly).get(HttpUrl.get("https://loopback.test:" + server.getPort() + "/"), deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertEquals("loopback.test resolves to " + server.getSocketAddress().getAddress().getHostAddress() + ", a loopback address: "
        + "the bot only fetches public hosts.", error.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void refusesAUrlThePolicyRefusesBeforeSendingAnything() throws Exception {
    FetchException error = failure(http(publicOnly).get(loopback("/"), deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertEquals("`http://loopback.test:" + server.getPort() + "` is not allowed: use https (plain http is only for local testing).",
        error.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void followsRelativeRedirectsAndReportsEachHop() throws Exception {
    server.enqueue(redirect(302, "/b/"));
    server.enqueue(redirect(301, "../c?x=1"));
    server.enqueue(redirect(307, "d#section"));
    server.enqueue(new MockResponse.Builder().code(200).body("done").build());

    Fetched fetched = http(dev).get(loopback("/a"), deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(200, fetched.status());
    assertEquals(loopback("/d"), fetched.url(), "the fragment of a Location is never sent");
    assertEquals(List.of(loopback("/a"), loopback("/b/"), loopback("/c?x=1")), fetched.redirects());
    assertEquals(List.of("/a", "/b/", "/c?x=1", "/d"), List.of(server.takeRequest().getTarget(), server.takeRequest().getTarget(),
        server.takeRequest().getTarget(), server.takeRequest().getTarget()));
  }

  @Test
  void refusesARedirectToTheMetadataAddress() throws Exception {
    server.enqueue(redirect(302, "http://169.254.169.254/latest/meta-data/iam/security-credentials/"));

    FetchException error = failure(http(dev).get(loopback("/"), deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertEquals("loopback.test redirected to a URL the bot will not fetch: The host 169.254.169.254 is a link-local address, "
        + "where cloud metadata services answer: the bot only fetches public hosts.", error.getMessage());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void refusesARedirectToANameThatResolvesToTheMetadataAddress() throws Exception {
    server.enqueue(redirect(302, "http://metadata.test/latest/meta-data/"));

    FetchException error = failure(http(dev).get(loopback("/"), deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertEquals("loopback.test redirected to a URL the bot will not fetch: metadata.test resolves to 169.254.169.254, "
        + "a link-local address, where cloud metadata services answer: the bot only fetches public hosts.", error.getMessage());
  }

  @Test
  void refusesARedirectFromAPublicSiteToANameThatResolvesToLoopback() throws Exception {
    OkHttpClient shared = new OkHttpClient.Builder()
        .addInterceptor(publicSiteRedirectingTo("https://loopback.test:" + server.getPort() + "/admin")).build();

    FetchException error = failure(http(publicOnly, shared).get(HttpUrl.get("https://public.test/"), deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertEquals("public.test redirected to a URL the bot will not fetch: loopback.test resolves to "
        + server.getSocketAddress().getAddress().getHostAddress() + ", a loopback address: the bot only fetches public hosts.",
        error.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void refusesARedirectFromAPublicSiteToALoopbackLiteral() throws Exception {
    OkHttpClient shared = new OkHttpClient.Builder().addInterceptor(publicSiteRedirectingTo("https://127.0.0.1:" + server.getPort() + "/"))
        .build();

    FetchException error = failure(http(publicOnly, shared).get(HttpUrl.get("https://public.test/"), deadline()));

    assertEquals("public.test redirected to a URL the bot will not fetch: The host 127.0.0.1 is a loopback address: "
        + "the bot only fetches public hosts.", error.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void refusesCredentialsInARedirectWithoutEchoingThem() throws Exception {
    server.enqueue(redirect(302, "http://deployer:" + "fake-pa55@loopback.test:" + server.getPort() + "/"));

    FetchException error = failure(http(dev).get(loopback("/"), deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertFalse(error.getMessage().contains("fake-pa55") || error.getMessage().contains("deployer"), error.getMessage());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void followsFiveRedirects() throws Exception {
    for (int hop = 1; hop <= SafeHttp.MAX_REDIRECTS; hop++) {
      server.enqueue(redirect(302, "/hop" + hop));
    }
    server.enqueue(new MockResponse.Builder().code(200).build());

    Fetched fetched = http(dev).get(loopback("/"), deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(200, fetched.status());
    assertEquals(5, fetched.redirects().size());
  }

  @Test
  void refusesTheSixthRedirect() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return redirect(302, "/again" + request.getExchangeIndex());
      }
    });

    FetchException error = failure(http(dev).get(loopback("/"), deadline()));

    assertEquals(FetchException.Kind.TOO_MANY_REDIRECTS, error.kind());
    assertEquals("loopback.test redirected more than 5 times; the bot stops there. Check the site's redirects, or give the final URL.",
        error.getMessage());
    assertEquals(6, server.getRequestCount());
  }

  @Test
  void refusesARedirectFromHttpsToHttp() throws Exception {
    TestTls tls = tls();
    server.useHttps(tls.server.getSocketFactory());
    HttpUrl secure = HttpUrl.get("https://loopback.test:" + server.getPort() + "/");
    server.enqueue(redirect(301, "http://loopback.test:" + server.getPort() + "/plain"));
    OkHttpClient shared = new OkHttpClient.Builder().sslSocketFactory(tls.client.getSocketFactory(), tls.trust).build();

    FetchException error = failure(http(dev, shared).get(secure, deadline()));

    assertEquals(FetchException.Kind.REFUSED, error.kind());
    assertEquals("loopback.test redirected to a URL the bot will not fetch: plain http (loopback.test); the bot does not follow "
        + "a redirect from https to http.", error.getMessage());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void speaksTlsOverItsCheckedSockets() throws Exception {
    TestTls tls = tls();
    server.useHttps(tls.server.getSocketFactory());
    server.enqueue(new MockResponse.Builder().code(200).body("secure").build());
    OkHttpClient shared = new OkHttpClient.Builder().sslSocketFactory(tls.client.getSocketFactory(), tls.trust).build();

    Fetched fetched = http(dev, shared).get(HttpUrl.get("https://loopback.test:" + server.getPort() + "/"), deadline())
        .get(10, TimeUnit.SECONDS);

    assertEquals("secure", fetched.text());
    assertTrue(server.takeRequest().getHandshake() != null, "the request came over TLS");
  }

  @Test
  void readsAtMostTheBodyLimitOfAChunkedBody() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).chunkedBody("x".repeat(100_000), 512).build());

    Fetched fetched = http(dev).get(loopback("/big"), deadline()).get(10, TimeUnit.SECONDS);

    assertNull(fetched.headers().get("Content-Length"), "precondition: no length announced");
    assertEquals("chunked", fetched.headers().get("Transfer-Encoding"));
    assertEquals(MAX_BODY, fetched.bytesRead());
    assertTrue(fetched.truncated());
  }

  @Test
  void aBodyOfExactlyTheLimitIsNotTruncated() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).chunkedBody("y".repeat((int) MAX_BODY), 100).build());

    Fetched fetched = http(dev).get(loopback("/"), deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(MAX_BODY, fetched.bytesRead());
    assertFalse(fetched.truncated());
  }

  @Test
  void keepsTheMethodOn307AndTurnsA303IntoGet() throws Exception {
    server.enqueue(redirect(307, "/kept"));
    server.enqueue(redirect(303, "/other"));
    server.enqueue(new MockResponse.Builder().code(204).build());

    http(dev).fetch("OPTIONS", loopback("/"), Headers.of("Origin", "https://app.example.com"), deadline()).get(10, TimeUnit.SECONDS);

    assertEquals(List.of("OPTIONS", "OPTIONS", "GET"), List.of(server.takeRequest().getMethod(), server.takeRequest().getMethod(),
        server.takeRequest().getMethod()));
  }

  @Test
  void dropsCredentialHeadersWhenARedirectLeavesTheOrigin() throws Exception {
    names.put("other.test", List.of(server.getSocketAddress().getAddress()));
    server.enqueue(redirect(302, "/same"));
    server.enqueue(redirect(302, "http://other.test:" + server.getPort() + "/elsewhere"));
    server.enqueue(new MockResponse.Builder().code(204).build());
    Headers headers = Headers.of("Authorization", "Bearer fake-" + System.nanoTime(), "Origin", "https://app.example.com");

    http(dev).fetch("GET", loopback("/"), headers, deadline()).get(10, TimeUnit.SECONDS);

    assertTrue(server.takeRequest().getHeaders().get("Authorization") != null);
    assertTrue(server.takeRequest().getHeaders().get("Authorization") != null, "same origin keeps it");
    RecordedRequest elsewhere = server.takeRequest();
    assertNull(elsewhere.getHeaders().get("Authorization"), "another origin never sees it");
    assertEquals("https://app.example.com", elsewhere.getHeaders().get("Origin"));
  }

  @Test
  void timesOutWhenTheBudgetRunsOut() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        release.await(10, TimeUnit.SECONDS);
        return new MockResponse.Builder().code(200).build();
      }
    });
    // The fake clock does not move, so this deadline leaves 300 ms for the call's own timeout.
    Deadline shortBudget = Deadline.of(time.instant(), Duration.ofMillis(300), time);

    FetchException error = failure(http(dev).get(loopback("/slow"), shortBudget));

    assertEquals(FetchException.Kind.TIMEOUT, error.kind());
    assertTrue(error.getMessage().startsWith("loopback.test did not answer within "), error.getMessage());
  }

  @Test
  void sendsNothingWhenTheBudgetIsAlreadySpent() throws Exception {
    Deadline spent = Deadline.of(time.instant().minusSeconds(5), Duration.ofSeconds(3), time);

    FetchException error = failure(http(dev).get(loopback("/"), spent));

    assertEquals(FetchException.Kind.TIMEOUT, error.kind());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void reportsAnUnknownNameAsANetworkFailure() throws Exception {
    FetchException error = failure(http(dev).get(HttpUrl.get("http://nowhere.test/"), deadline()));

    assertEquals(FetchException.Kind.NETWORK, error.kind());
    assertEquals("Could not reach nowhere.test (UnknownHostException).", error.getMessage());
  }

  @Test
  void cancellingTheFutureAbortsTheCallUnderWay() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        received.countDown();
        release.await(10, TimeUnit.SECONDS);
        return new MockResponse.Builder().code(200).build();
      }
    });
    CountDownLatch cancelled = new CountDownLatch(1);
    OkHttpClient observed = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void canceled(Call call) {
        cancelled.countDown();
      }
    }).build();
    CompletableFuture<Fetched> fetch = http(dev, observed).get(loopback("/held"), deadline());
    assertTrue(received.await(10, TimeUnit.SECONDS), "the request reached the server");

    fetch.cancel(true);

    assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the HTTP call was cancelled");
  }

  @Test
  void supportsOnlyMethodsWithoutABody() {
    assertThrows(IllegalArgumentException.class, () -> http(dev).fetch("POST", loopback("/"), Headers.of(), deadline()));
  }
}
