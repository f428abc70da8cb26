package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.LoopbackUpstreams;
import dev.valine.orchestrator.SnapStartPriming;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.deferral.LambdaAsyncInvoker;
import dev.valine.orchestrator.deferral.LambdaJobLauncher;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import dev.valine.orchestrator.util.Lazy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the first {@code /status}, {@code /debug-last}, {@code /verify-run} and {@code /deploy-client} (its inline
 * half, then its deferred half: dispatch, one poll, the last edit) still load after SnapStart priming, in the same
 * JVM: an app configured as in Lambda (shared state in DynamoDB, deferral through Lambda), its GitHub, Discord,
 * DynamoDB, Lambda and deployed targets on loopback stand-ins with fake keys, primed as before a snapshot, then
 * asked each command once. Prints {@code PROBE-MARK <step>} lines around each step, for
 * {@code -Xlog:class+load} output to be cut at, and one {@code PROBE} line: how long priming took,
 * classes loaded and milliseconds per command, how many Lambda clients were built after priming, and how
 * many calls priming sent the app's own upstreams (its DynamoDB client's warm-up read).
 *
 * <p>Usage: {@code java -Xlog:class+load -cp jar:test-classes dev.valine.orchestrator.probe.AfterPrimingProbe}
 */
public final class AfterPrimingProbe {
  private static final String USER = "53908232506183680";

  private AfterPrimingProbe() {}

  public static void main(String[] args) throws Exception {
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    try (LoopbackUpstreams upstreams = LoopbackUpstreams.start(0)) {
      Map<String, String> aws = upstreams.awsEnvironment("eu-west-1", "valine-orchestrator-probe");
      Map<String, String> env = new HashMap<>(Map.of("GITHUB_API_BASE", upstreams.githubBase(), "GITHUB_REPO", "octo-org/deploy-service",
          "STATUS_WORKFLOWS", "deploy.yml", "TRACE_TABLE_NAME", "valine-orchestrator-probe-state", "ENABLE_DEBUG_CMD", "true"));
      // The ops commands: the probe's user may deploy, and the deployed targets are the stand-in's (on loopback,
      // which only ALLOW_PRIVATE_TARGETS in dev reaches).
      env.putAll(Map.of("DISCORD_API_BASE", upstreams.discordBase(), "OPERATOR_USER_IDS", USER, "DEPLOY_WORKFLOW", "deploy.yml",
          "ALLOW_PRIVATE_TARGETS", "true", "FRONTEND_BASE_URL", upstreams.frontendBase(), "API_BASE_URL", upstreams.apiBase()));
      Signer signer = new Signer(Clock.systemUTC());
      AtomicInteger lambdaClients = new AtomicInteger();
      App app = new App(TestApps.config(signer, env), Clock.systemUTC(), App.defaultTracing(Map.of()),
          runner -> new LambdaJobLauncher(new Lazy<>(() -> {
            lambdaClients.incrementAndGet();
            return LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(aws));
          }), "valine-orchestrator-probe", Optional.of("1")),
          new AwsEnvironment(aws));
      InteractionHandler handler = new InteractionHandler(app);
      InteractionBuilder interactions = new InteractionBuilder(new SecureRandom()).user(USER);

      System.out.println("PROBE-MARK prime");
      int before = upstreams.requests();
      long primingStarted = System.nanoTime();
      new SnapStartPriming(app).prime();
      long primeMillis = (System.nanoTime() - primingStarted) / 1_000_000;
      int dynamoDbCallsInPriming = upstreams.requests() - before;
      int lambdaClientsAtPriming = lambdaClients.get();

      long[] status = ask(handler, signer, interactions.command("status", Optional.empty(), Map.of()), "status", 4, classes);
      long[] debugLast = ask(handler, signer, interactions.command("debug-last", Optional.empty(), Map.of()), "debug-last", 4, classes);
      long[] verifyRun = ask(handler, signer, interactions.command("verify-run", app.commands().find("verify-run").map(c -> c.definition()),
          Map.of("run_id", Long.toString(LoopbackUpstreams.RUN_ID))), "verify-run", 4, classes);
      // An operator's /deploy-client: deferred at once, then its job (as Lambda would deliver it) dispatches, finds the
      // run completed at the first poll and edits the reply with the outcome.
      byte[] deploy = Jackson.bytes(interactions.command("deploy-client", app.commands().find("deploy-client").map(c -> c.definition()),
          Map.of()));
      long[] deployInline = ask(handler, signer, deploy, "deploy-client", 5, classes);
      long[] deployJob = job(handler, signer, deploy, upstreams, classes);
      System.out.println("PROBE-MARK end");
      System.out.printf("PROBE prime_ms=%d status_new_classes=%d status_ms=%d debug_last_new_classes=%d debug_last_ms=%d "
              + "verify_run_new_classes=%d verify_run_ms=%d deploy_inline_new_classes=%d deploy_inline_ms=%d deploy_job_new_classes=%d "
              + "deploy_job_ms=%d lambda_clients_built_after_priming=%d app_table_calls_in_priming=%d%n", primeMillis,
          status[0], status[1], debugLast[0], debugLast[1], verifyRun[0], verifyRun[1], deployInline[0], deployInline[1], deployJob[0],
          deployJob[1], lambdaClients.get() - lambdaClientsAtPriming, dynamoDbCallsInPriming);
    }
    // The SDK's and the app's worker threads must not keep the probe alive.
    System.exit(0);
  }

  /** @return classes loaded and milliseconds taken by one signed command through the handler, answered with {@code type} */
  private static long[] ask(InteractionHandler handler, Signer signer, ObjectNode interaction, String command, int type,
      ClassLoadingMXBean classes) throws Exception {
    return ask(handler, signer, Jackson.bytes(interaction), command, type, classes);
  }

  private static long[] ask(InteractionHandler handler, Signer signer, byte[] body, String command, int type,
      ClassLoadingMXBean classes) throws Exception {
    byte[] event = Jackson.bytes(signer.httpApiEvent(body, false));
    System.out.println("PROBE-MARK " + command);
    long loaded = classes.getTotalLoadedClassCount();
    long started = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext());
    long millis = (System.nanoTime() - started) / 1_000_000;
    JsonNode answer = Jackson.parse(Jackson.parse(out.toByteArray()).path("body").asText());
    // A verification that did not pass took another path than a user's first one would: the probe must not count it.
    boolean passed = !"verify-run".equals(command) || answer.path("data").path("content").asText().startsWith("✅");
    if (!Integer.toString(type).equals(answer.path("type").asText()) || !passed) {
      throw new IllegalStateException("/" + command + " was answered " + out);
    }
    return new long[] {classes.getTotalLoadedClassCount() - loaded, millis};
  }

  /** @return classes loaded and milliseconds taken by the deferred half of {@code body}, which must end with a success */
  private static long[] job(InteractionHandler handler, Signer signer, byte[] body, LoopbackUpstreams upstreams,
      ClassLoadingMXBean classes) throws Exception {
    String timestamp = signer.now();
    byte[] event = JobEvents.encode(new DeferredJob("after-priming-probe", new SignedInteraction(body, signer.sign(timestamp, body), timestamp),
        Instant.now(), Instant.now()));
    System.out.println("PROBE-MARK deploy-client-job");
    long loaded = classes.getTotalLoadedClassCount();
    long started = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext());
    long millis = (System.nanoTime() - started) / 1_000_000;
    String outcome = Jackson.parse(out.toByteArray()).path("job").asText();
    if (!"completed".equals(outcome) || !upstreams.lastEdit().contains("succeeded")) {
      throw new IllegalStateException("the deferred /deploy-client ended " + out + ", last edit: " + upstreams.lastEdit());
    }
    return new long[] {classes.getTotalLoadedClassCount() - loaded, millis};
  }
}
