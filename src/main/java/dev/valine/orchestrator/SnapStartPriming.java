package dev.valine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.Deduplicator;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.command.JobLauncher;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.deferral.LambdaAsyncInvoker;
import dev.valine.orchestrator.deferral.LambdaJobLauncher;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.endpoint.ApiGatewayEvents;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.observability.XRayTracing;
import dev.valine.orchestrator.secrets.Tokens;
import dev.valine.orchestrator.time.Sleeper;
import dev.valine.orchestrator.util.Lazy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.LoggerFactory;

/**
 * SnapStart runtime hooks. Before the snapshot, {@link #prime()} runs a throwaway app against loopback
 * stand-ins ({@link LoopbackUpstreams}) for GitHub, Discord, DynamoDB and Lambda, signed with a key made
 * for the occasion, with fake AWS keys, no alerts and no metrics. Its AWS SDK clients are built first
 * ({@link App#prime()}, one read through the stand-in); then it answers the requests Discord sends — a signed PING, each
 * command (each claimed in the stand-in table), a replayed command, an unknown command and a forged signature — through
 * a real {@link InteractionHandler}, and the ops commands: a {@code /verify-run} that passes (the run and the deployed
 * targets fetched through the URL-checking client), {@code /status-digest}, and an operator's {@code /deploy-client}
 * and {@code /diagnose}, each deferred and then run as its job (dispatch, one poll of a run already completed, the
 * last edit; the diagnose reads its summary artifact). Only the throwaway app is in {@code STAGE=dev} with
 * {@code ALLOW_PRIVATE_TARGETS} (its targets are the loopback stand-in) and has an operator; it never waits between
 * polls. It runs
 * one deferred job through the job path, hands one job to Lambda and decides one alert in the shared
 * table. Its GitHub token comes from a secret the Secrets Manager stand-in holds, so that reading a secret is on
 * the path too. Every class on those paths, the SDK's marshalling, signing, retries and unmarshalling included,
 * is loaded, linked and initialised once, into the snapshot. Then the real app builds its clients
 * ({@link App#prime()}), so none is built after the restore, and {@link App#afterRestore()} drops
 * connections.
 *
 * <p>No token is part of the snapshot: the real app builds its Secrets Manager client but reads nothing before
 * the checkpoint (its tokens are read on first use after the restore), and {@link App#afterRestore()} forgets
 * anything read all the same.
 *
 * <p>Nothing unique is kept from priming: the throwaway app and its key are discarded, and trace ids come
 * from {@code UUID.randomUUID()} (NativePRNG, which reads the kernel's entropy on every call). The one
 * random state that does carry over is {@code ThreadLocalRandom}'s, behind the SDK's retry jitter: copies
 * restored from one snapshot may space their retries alike, which costs nothing but spread.
 *
 * <p>Outside Lambda SnapStart no checkpoint ever happens, so registering changes nothing.
 */
public final class SnapStartPriming implements Resource {
  // The throwaway app's function name, for its stand-in Lambda.
  private static final String FUNCTION = "snapstart-priming";
  // A cold JVM's first SDK calls take longer than the reply path's limits allow; priming loads classes and
  // keeps no deadline, so its clients get time to spare. A call that fails even so fails priming.
  private static final CallLimits STAND_INS = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);
  // The throwaway app's one user, an operator of the throwaway app only, so that its /deploy-client acts.
  private static final String PRIMING_USER = "100000000000000001";
  // The stand-in's run is completed at the first poll, so following it never waits. A wait would mean that priming
  // took another path than the one it means to load, and would hold up the snapshot: it fails the command instead,
  // and the check of its last edit fails priming.
  private static final Sleeper NEVER_WAITS = duration -> {
    throw new IllegalStateException("priming never waits between polls of a run, but was asked to wait " + duration);
  };

  private final App app;

  public SnapStartPriming(App app) {
    this.app = app;
  }

  /** Registers the hooks; keep the returned object referenced (CRaC holds resources weakly). */
  public static SnapStartPriming register(App app) {
    SnapStartPriming priming = new SnapStartPriming(app);
    Core.getGlobalContext().register(priming);
    return priming;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) throws IOException {
    List<String> answers = prime();
    LoggerFactory.getLogger(SnapStartPriming.class).info("primed before the snapshot: {}", answers);
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    app.afterRestore();
  }

  /**
   * Runs the request path on a throwaway app, then builds the real app's clients.
   *
   * @return what each priming request was answered, e.g. {@code "PING -> 200 type 1"}
   * @throws IllegalStateException if a request got an answer other than the one it must get; a snapshot
   *     primed on a broken path would hide the breakage until the first real request
   */
  public List<String> prime() throws IOException {
    List<String> answers = new ArrayList<>();
    try (LoopbackUpstreams upstreams = LoopbackUpstreams.start(0)) {
      Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
      AwsEnvironment aws = new AwsEnvironment(upstreams.awsEnvironment(app.aws().region().orElse("us-east-1"), FUNCTION));
      FallbackWatch fallbacks = new FallbackWatch();
      Lazy<LambdaAsyncInvoker> invoker = new Lazy<>(() -> LambdaAsyncInvoker.fromEnvironment(aws, STAND_INS));
      Config config = primingConfig(keys, upstreams);
      App throwaway = new App(config, Clock.systemUTC(), NEVER_WAITS, () -> Tracing.NONE,
          runner -> new LambdaJobLauncher(invoker, FUNCTION, Optional.of("1")), aws, fallbacks, STAND_INS, List.of(),
          Tokens.forApp(config, aws, Clock.systemUTC(), STAND_INS));
      try {
        primeThrowaway(throwaway, keys, fallbacks, upstreams, answers);
      } finally {
        // Their timeout threads would otherwise idle in every container restored from the snapshot.
        throwaway.closeSharedStateClient();
        throwaway.tokens().close();
        invoker.ifBuilt().ifPresent(LambdaAsyncInvoker::close);
      }
    }
    if (App.xrayActive(app.config().lambda().variables())) {
      answers.add("X-Ray -> " + XRayTracing.prime(app.config().stage().id()) + " segment serialised, none sent");
    }
    app.prime();
    return answers;
  }

  /**
   * The throwaway app's part: its SDK clients first (so the commands find them built, as the real app's
   * will be), then each request, one deferred job, one hand-off to Lambda and one alert decision.
   */
  private void primeThrowaway(App throwaway, Ed25519KeyPair keys, FallbackWatch fallbacks, LoopbackUpstreams upstreams,
      List<String> answers) throws IOException {
    throwaway.prime();
    InteractionHandler handler = new InteractionHandler(throwaway);
    InteractionBuilder interactions = new InteractionBuilder(new SecureRandom()).user(PRIMING_USER);
    answers.add(expect("PING", handler, signed(keys, Jackson.bytes(interactions.ping())), 200, 1));
    byte[] firstStatus = signed(keys, Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())));
    answers.add(expect("/status", handler, firstStatus, 200, 4));
    // The same signed request again: its claim is refused by the stand-in, and it is answered without running.
    answers.add(expectRepeat(handler, firstStatus));
    for (String command : List.of("debug-last", "priming-unknown-command")) {
      answers.add(expect("/" + command, handler, signed(keys, Jackson.bytes(interactions.command(command, Optional.empty(), Map.of()))),
          200, 4));
    }
    byte[] forged = Jackson.bytes(ApiGatewayEvents.httpApiEvent("00".repeat(64), Long.toString(System.currentTimeMillis() / 1000),
        Jackson.bytes(interactions.ping()), false, System.currentTimeMillis()));
    answers.add(expect("forged PING", handler, forged, 401, 0));
    // The ops commands: a verification (GitHub and the deployed targets fetched in parallel through the URL-checking
    // client), the digest, and an operator's deploy and diagnose, each deferred at once and then run as its job.
    byte[] verify = command(interactions, throwaway, "verify-run", Map.of("run_id", Long.toString(LoopbackUpstreams.RUN_ID)));
    answers.add(expectPassed(handler, signed(keys, verify)));
    answers.add(expect("/status-digest", handler, signed(keys, command(interactions, throwaway, "status-digest", Map.of())), 200, 4));
    // A diagnose also downloads its run's summary artifact (a redirect to storage) and reads the zip.
    for (Map.Entry<String, String> command : List.of(Map.entry("deploy-client", "succeeded"),
        Map.entry("diagnose", LoopbackUpstreams.SUMMARY_DETAIL))) {
      byte[] dispatching = command(interactions, throwaway, command.getKey(), Map.of());
      answers.add(expect("/" + command.getKey(), handler, signed(keys, dispatching), 200, 5));
      answers.add(expectFollowed("/" + command.getKey(), handler, JobEvents.encode(job(keys, dispatching)), upstreams,
          command.getValue()));
    }
    // The deferred half, from the job event an inline half would send.
    byte[] status = Jackson.bytes(interactions.command("status", Optional.empty(), Map.of()));
    DeferredJob job = job(keys, status);
    answers.add(expectJob(handler, JobEvents.encode(job)));
    answers.add(expectLaunched(throwaway.launcher(), job));
    answers.add(expectSuppressed(throwaway.deduplicator()));
    if (!fallbacks.stores.isEmpty()) {
      throw new IllegalStateException("priming fell back to memory for " + fallbacks.stores + ": a DynamoDB call through the SDK failed");
    }
    answers.add("AWS stand-ins <- " + String.join(", ", upstreams.awsOperations()));
  }

  private static byte[] command(InteractionBuilder interactions, App app, String name, Map<String, String> options) {
    return Jackson.bytes(interactions.command(name, app.commands().find(name).map(SlashCommand::definition), options));
  }

  /** The job an inline half hands on for {@code body}, signed now. */
  private static DeferredJob job(Ed25519KeyPair keys, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    return new DeferredJob("snapstart-priming", new SignedInteraction(body, keys.sign(timestamp, body), timestamp), Instant.now(),
        Instant.now());
  }

  private static String expectLaunched(JobLauncher launcher, DeferredJob job) {
    try {
      launcher.launch(job);
    } catch (JobLaunchException e) {
      throw new IllegalStateException("priming the deferral's hand-off failed: " + e.getMessage(), e);
    }
    return "deferral hand-off -> queued";
  }

  /** The stand-in holds every alert window open, so the shared dedup must count this alert as the first suppressed. */
  private static String expectSuppressed(Deduplicator dedup) {
    AlertDeduplicator.Decision decision = dedup.decide("snapstart-priming");
    if (decision.send() || decision.suppressedBefore() != 1) {
      throw new IllegalStateException("priming the shared alert dedup decided " + decision + ", expected 1 suppressed");
    }
    return "alert dedup -> suppressed";
  }

  private Config primingConfig(Ed25519KeyPair keys, LoopbackUpstreams upstreams) {
    Config real = app.config();
    Map<String, String> env = new LinkedHashMap<>();
    // Dev, for ALLOW_PRIVATE_TARGETS: the deployed targets and the artifact storage are the loopback stand-in's. The
    // real app's stage and URL rules are its own; this config is the throwaway app's only.
    env.put("STAGE", "dev");
    env.put("ALLOW_PRIVATE_TARGETS", "true");
    env.put("FRONTEND_BASE_URL", upstreams.frontendBase());
    env.put("API_BASE_URL", upstreams.apiBase());
    env.put("OPERATOR_USER_IDS", PRIMING_USER);
    env.put("DEPLOY_WORKFLOW", "deploy.yml");
    env.put("DIAGNOSE_WORKFLOW", "diagnose.yml");
    env.put("DISCORD_PUBLIC_KEY", keys.publicKeyHex());
    env.put("DISCORD_API_BASE", upstreams.discordBase());
    env.put("GITHUB_API_BASE", upstreams.githubBase());
    env.put("GITHUB_REPO", real.githubRepo().orElse("priming/priming"));
    env.put("STATUS_WORKFLOWS", "deploy.yml");
    env.put("ENABLE_JSON_LOGGING", Boolean.toString(real.jsonLogging()));
    env.put("ENABLE_DEBUG_CMD", "true");
    env.put("ENABLE_ALERTS", "false");
    env.put("ENABLE_METRICS", "false");
    env.put("TRACE_STORE_CAPACITY", "10");
    env.put("TRACE_TABLE_NAME", FUNCTION);
    // Its GitHub token comes from the stand-in's secret, so the first command reads a secret through the SDK, as a
    // command after the restore will; the real app's secret is never read before the snapshot.
    env.put("SECRET_ID", FUNCTION);
    return Config.fromEnvironment(env, Config.PublicKey.REQUIRED);
  }

  /** Counts the throwaway app's falls back to memory; every other metric is dropped, as with metrics off. */
  private static final class FallbackWatch implements Metrics {
    private final List<String> stores = new CopyOnWriteArrayList<>();

    @Override
    public void stateStoreFallback(String store) {
      stores.add(store);
    }
  }

  private static byte[] signed(Ed25519KeyPair keys, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    return Jackson.bytes(ApiGatewayEvents.httpApiEvent(keys.sign(timestamp, body), timestamp, body, false, System.currentTimeMillis()));
  }

  private String expectJob(InteractionHandler handler, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new PrimingContext(app.config().lambda()));
    String outcome = Jackson.parse(out.toByteArray()).path("job").asText();
    if (!"completed".equals(outcome)) {
      throw new IllegalStateException("priming the deferred half ended '" + outcome + "', expected 'completed'");
    }
    return "deferred /status -> " + outcome;
  }

  /** A verification of the stand-in's run, answered inline, that passed: the run succeeded and both targets answered. */
  private String expectPassed(InteractionHandler handler, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new PrimingContext(app.config().lambda()));
    JsonNode response = Jackson.parse(out.toByteArray());
    JsonNode body = Jackson.parse(response.path("body").asText());
    if (response.path("statusCode").asInt() != 200 || body.path("type").asInt() != 4
        || !body.path("data").path("content").asText().startsWith("✅")) {
      throw new IllegalStateException("priming /verify-run was answered " + response + "; expected it passed, inline");
    }
    return "/verify-run -> 200 type 4 passed";
  }

  /**
   * The deferred half of a command that dispatches and follows a run: it must complete, and its last edit must say
   * the run succeeded and hold {@code expected} (a dispatch that failed, or a wait, ends otherwise).
   */
  private String expectFollowed(String label, InteractionHandler handler, byte[] event, LoopbackUpstreams upstreams, String expected)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new PrimingContext(app.config().lambda()));
    String outcome = Jackson.parse(out.toByteArray()).path("job").asText();
    String reply = upstreams.lastEdit();
    if (!"completed".equals(outcome) || !reply.contains("succeeded") || !reply.contains(expected)) {
      throw new IllegalStateException("priming the deferred " + label + " ended '" + outcome + "' with the reply '" + reply
          + "'; expected 'completed', the run succeeded and '" + expected + "'");
    }
    return "deferred " + label + " -> completed, run succeeded";
  }

  private String expectRepeat(InteractionHandler handler, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new PrimingContext(app.config().lambda()));
    JsonNode response = Jackson.parse(out.toByteArray());
    String content = Jackson.parse(response.path("body").asText()).path("data").path("content").asText();
    if (response.path("statusCode").asInt() != 200 || !content.contains("already handled")) {
      throw new IllegalStateException("priming a replayed /status was answered " + response + "; expected it already handled");
    }
    return "/status again -> 200 already handled";
  }

  private String expect(String label, InteractionHandler handler, byte[] event, int status, int type) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new PrimingContext(app.config().lambda()));
    JsonNode response = Jackson.parse(out.toByteArray());
    int answeredStatus = response.path("statusCode").asInt();
    int answeredType = type == 0 ? 0 : Jackson.parse(response.path("body").asText()).path("type").asInt();
    if (answeredStatus != status || answeredType != type) {
      throw new IllegalStateException("priming " + label + " was answered " + response + "; expected HTTP " + status
          + (type == 0 ? "" : " type " + type));
    }
    return label + " -> " + status + (type == 0 ? "" : " type " + type);
  }
}
