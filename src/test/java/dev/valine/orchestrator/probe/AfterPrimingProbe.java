package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.LoopbackUpstreams;
import dev.valine.orchestrator.SnapStartPriming;
import dev.valine.orchestrator.aws.AwsEnvironment;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the first {@code /status} and the first {@code /debug-last} still load after SnapStart priming,
 * in the same JVM: an app configured as in Lambda (shared state in DynamoDB, deferral through Lambda),
 * its GitHub, DynamoDB and Lambda on loopback stand-ins with fake keys, primed as before a snapshot, then
 * asked each command once. Prints {@code PROBE-MARK <step>} lines around each step, for
 * {@code -Xlog:class+load} output to be cut at, and one {@code PROBE} line: how long priming took,
 * classes loaded and milliseconds per command, how many Lambda clients were built after priming, and how
 * many calls priming sent the app's own upstreams (its DynamoDB client's warm-up read).
 *
 * <p>Usage: {@code java -Xlog:class+load -cp jar:test-classes dev.valine.orchestrator.probe.AfterPrimingProbe}
 */
public final class AfterPrimingProbe {
  private AfterPrimingProbe() {}

  public static void main(String[] args) throws Exception {
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    try (LoopbackUpstreams upstreams = LoopbackUpstreams.start(0)) {
      Map<String, String> aws = upstreams.awsEnvironment("eu-west-1", "valine-orchestrator-probe");
      Map<String, String> env = new HashMap<>(Map.of("GITHUB_API_BASE", upstreams.githubBase(), "GITHUB_REPO", "octo-org/deploy-service",
          "STATUS_WORKFLOWS", "deploy.yml", "TRACE_TABLE_NAME", "valine-orchestrator-probe-state", "ENABLE_DEBUG_CMD", "true"));
      Signer signer = new Signer(Clock.systemUTC());
      AtomicInteger lambdaClients = new AtomicInteger();
      App app = new App(TestApps.config(signer, env), Clock.systemUTC(), App.defaultTracing(Map.of()),
          runner -> new LambdaJobLauncher(new Lazy<>(() -> {
            lambdaClients.incrementAndGet();
            return LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(aws));
          }), "valine-orchestrator-probe", Optional.of("1")),
          new AwsEnvironment(aws));
      InteractionHandler handler = new InteractionHandler(app);
      InteractionBuilder interactions = new InteractionBuilder(new SecureRandom()).user("53908232506183680");

      System.out.println("PROBE-MARK prime");
      int before = upstreams.requests();
      long primingStarted = System.nanoTime();
      new SnapStartPriming(app).prime();
      long primeMillis = (System.nanoTime() - primingStarted) / 1_000_000;
      int dynamoDbCallsInPriming = upstreams.requests() - before;
      int lambdaClientsAtPriming = lambdaClients.get();

      long[] status = ask(handler, signer, interactions, "status", classes);
      long[] debugLast = ask(handler, signer, interactions, "debug-last", classes);
      System.out.println("PROBE-MARK end");
      System.out.printf("PROBE prime_ms=%d status_new_classes=%d status_ms=%d debug_last_new_classes=%d debug_last_ms=%d "
              + "lambda_clients_built_after_priming=%d app_table_calls_in_priming=%d%n", primeMillis,
          status[0], status[1], debugLast[0], debugLast[1], lambdaClients.get() - lambdaClientsAtPriming, dynamoDbCallsInPriming);
    }
    // The SDK's and the app's worker threads must not keep the probe alive.
    System.exit(0);
  }

  /** @return classes loaded and milliseconds taken by one signed command through the handler */
  private static long[] ask(InteractionHandler handler, Signer signer, InteractionBuilder interactions, String command,
      ClassLoadingMXBean classes) throws Exception {
    byte[] event = Jackson.bytes(signer.httpApiEvent(Jackson.bytes(interactions.command(command, Optional.empty(), Map.of())), false));
    System.out.println("PROBE-MARK " + command);
    long loaded = classes.getTotalLoadedClassCount();
    long started = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext());
    long millis = (System.nanoTime() - started) / 1_000_000;
    String type = Jackson.parse(Jackson.parse(out.toByteArray()).path("body").asText()).path("type").asText();
    if (!"4".equals(type)) {
      throw new IllegalStateException("/" + command + " was answered " + out);
    }
    return new long[] {classes.getTotalLoadedClassCount() - loaded, millis};
  }
}
