package dev.valine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.endpoint.ApiGatewayEvents;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.Tracing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.LoggerFactory;

/**
 * SnapStart runtime hooks. Before the snapshot, {@link #prime()} sends the requests Discord sends — a
 * signed PING, each command, an unknown command and a forged signature — through a real
 * {@link InteractionHandler} on a throwaway app, and one deferred job through the job path: signed with a key made for the occasion, GitHub and
 * Discord on loopback ({@link LoopbackUpstreams}), no alerts, no metrics, nothing deferred. Every class on
 * those paths is loaded, linked and initialised once, into the snapshot. Then the real app builds its
 * clients ({@link App#prime()}). After a restore, {@link App#afterRestore()} drops connections.
 *
 * <p>Nothing random or unique is kept from priming: the throwaway app and its key are discarded, trace
 * ids come from {@code UUID.randomUUID()} (NativePRNG, which reads the kernel's entropy on every call),
 * and the clients that keep random jitter state are built on first use, after the restore. OkHttp's
 * pooled connections are dropped after the restore; the JDK keeps {@code AwsApi}'s HttpURLConnection
 * keep-alives where no hook can reach them, so a stale one fails its first use and {@code AwsApi}'s retry
 * opens a new one.
 *
 * <p>Outside Lambda SnapStart no checkpoint ever happens, so registering changes nothing.
 */
public final class SnapStartPriming implements Resource {
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
      List<DeferredJob> jobs = new ArrayList<>();
      App throwaway = new App(primingConfig(keys, upstreams), Clock.systemUTC(), () -> Tracing.NONE, runner -> jobs::add);
      InteractionHandler handler = new InteractionHandler(throwaway);
      InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
      answers.add(expect("PING", handler, signed(keys, Jackson.bytes(interactions.ping())), 200, 1));
      for (String command : List.of("status", "debug-last", "priming-unknown-command")) {
        answers.add(expect("/" + command, handler, signed(keys, Jackson.bytes(interactions.command(command, Optional.empty(), Map.of()))),
            200, 4));
      }
      byte[] forged = Jackson.bytes(ApiGatewayEvents.httpApiEvent("00".repeat(64), Long.toString(System.currentTimeMillis() / 1000),
          Jackson.bytes(interactions.ping()), false, System.currentTimeMillis()));
      answers.add(expect("forged PING", handler, forged, 401, 0));
      // The deferred half, from the job event an inline half would send.
      byte[] status = Jackson.bytes(interactions.command("status", Optional.empty(), Map.of()));
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      DeferredJob job = new DeferredJob("snapstart-priming", new SignedInteraction(status, keys.sign(timestamp, status), timestamp),
          Instant.now(), Instant.now());
      answers.add(expectJob(handler, JobEvents.encode(job)));
    }
    app.prime();
    return answers;
  }

  private Config primingConfig(Ed25519KeyPair keys, LoopbackUpstreams upstreams) {
    Config real = app.config();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STAGE", real.stage().id());
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
    return Config.fromEnvironment(env, Config.PublicKey.REQUIRED);
  }

  private static byte[] signed(Ed25519KeyPair keys, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    return Jackson.bytes(ApiGatewayEvents.httpApiEvent(keys.sign(timestamp, body), timestamp, body, false, System.currentTimeMillis()));
  }

  private static String expectJob(InteractionHandler handler, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, PrimingContext.INSTANCE);
    String outcome = Jackson.parse(out.toByteArray()).path("job").asText();
    if (!"completed".equals(outcome)) {
      throw new IllegalStateException("priming the deferred half ended '" + outcome + "', expected 'completed'");
    }
    return "deferred /status -> " + outcome;
  }

  private static String expect(String label, InteractionHandler handler, byte[] event, int status, int type) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, PrimingContext.INSTANCE);
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
