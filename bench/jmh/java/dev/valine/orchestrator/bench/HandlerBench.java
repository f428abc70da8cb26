package dev.valine.orchestrator.bench;

import ch.qos.logback.classic.LoggerContext;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.LoggingConfigurator;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.Signer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;

/**
 * The whole Lambda handler, warm: a signed PING (event bytes in, response bytes out), and {@code /status}
 * with GitHub answering on loopback (MockWebServer), including its log lines (written to nowhere).
 */
@State(Scope.Benchmark)
// Sample mode reports percentiles: the p0.50 is the median docs/benchmarks.md quotes.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandlerBench {
  private final FakeLambdaContext context = new FakeLambdaContext();
  private MockWebServer github;
  private InteractionHandler handler;
  private byte[] pingEvent;
  private Signer discord;
  private InteractionBuilder interactions;

  /**
   * A new signed {@code /status} request for each call: the same request twice is a replay, answered
   * "already handled" without running the command (once per interaction). Signed before each iteration,
   * not between calls, so calls follow each other as before.
   */
  @State(Scope.Thread)
  public static class StatusRequests {
    // More than one 2 s iteration takes; running out stops the benchmark rather than measure replays.
    private static final int PER_ITERATION = 40_000;
    private byte[][] events;
    private int next;

    @Setup(Level.Iteration)
    public void sign(HandlerBench bench) {
      events = new byte[PER_ITERATION][];
      for (int i = 0; i < events.length; i++) {
        events[i] = bench.statusEvent();
      }
      next = 0;
    }

    byte[] next() {
      if (next == events.length) {
        throw new IllegalStateException("more calls than the " + PER_ITERATION + " requests signed for this iteration");
      }
      return events[next++];
    }
  }

  @Setup
  public void setUp() throws Exception {
    // Real encoder and redaction, but the lines go nowhere: the benchmark measures producing them.
    LoggingConfigurator.configure((LoggerContext) LoggerFactory.getILoggerFactory(), Map.of("LOG_LEVEL", "INFO"),
        OutputStream.nullOutputStream());
    github = new MockWebServer();
    github.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return GitHubFixtures.runsPage(
            GitHubFixtures.run(412, "completed", "success", Instant.now().minusSeconds(600), Duration.ofSeconds(95)),
            GitHubFixtures.run(411, "completed", "failure", Instant.now().minusSeconds(1200), Duration.ofSeconds(40)),
            GitHubFixtures.run(413, "in_progress", null, Instant.now().minusSeconds(60), Duration.ZERO));
      }
    });
    github.start();
    discord = new Signer(Clock.systemUTC());
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", discord.publicKeyHex(), "SIGNATURE_MAX_AGE_SECONDS", "3600",
        "GITHUB_REPO", "octo-org/deploy-service", "GITHUB_API_BASE", github.url("/").toString(), "STATUS_WORKFLOWS", "deploy.yml"),
        Config.PublicKey.REQUIRED);
    handler = new InteractionHandler(new App(config, Clock.systemUTC(), () -> Tracing.NONE, App.defaultLaunchers(Map.of())));
    interactions = new InteractionBuilder(new SecureRandom());
    pingEvent = Jackson.bytes(discord.httpApiEvent(Jackson.bytes(interactions.ping()), false));
    // Measure the real thing: a fast error reply (or "already handled") must not pass for a fast answer.
    String ping = new String(signedPing(), java.nio.charset.StandardCharsets.UTF_8);
    ByteArrayOutputStream check = new ByteArrayOutputStream(1024);
    handler.handleRequest(new ByteArrayInputStream(statusEvent()), check, context);
    String status = check.toString(java.nio.charset.StandardCharsets.UTF_8);
    if (!ping.contains("{\\\"type\\\":1}") || !status.contains("Deploy status")) {
      throw new IllegalStateException("benchmark set-up does not answer as expected: " + ping + " / " + status);
    }
  }

  @TearDown
  public void tearDown() {
    github.close();
  }

  @Benchmark
  public byte[] signedPing() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    handler.handleRequest(new ByteArrayInputStream(pingEvent), out, context);
    return out.toByteArray();
  }

  byte[] statusEvent() {
    return Jackson.bytes(discord.httpApiEvent(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), false));
  }

  @Benchmark
  public byte[] statusWithGitHubOnLoopback(StatusRequests requests) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    handler.handleRequest(new ByteArrayInputStream(requests.next()), out, context);
    return out.toByteArray();
  }
}
