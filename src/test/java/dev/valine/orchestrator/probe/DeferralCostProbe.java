package dev.valine.orchestrator.probe;

import com.sun.net.httpserver.HttpServer;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.deferral.LambdaAsyncInvoker;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.testing.FakeAws;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What handing off a deferred job costs in a fresh JVM: building the invoker (the SDK's {@code LambdaClient}
 * on the JDK's URLConnection), the first
 * asynchronous invoke (class loading, signing, connecting) and a warm one, against a loopback server
 * that answers 202 as Lambda does. Prints one {@code PROBE} line; {@code bench/deferral.sh} runs it in
 * fresh JVMs with Lambda's JIT flags. The loopback server starts before the clock does.
 */
public final class DeferralCostProbe {
  private static final int WARM_INVOKES = 50;
  // As SnapStart priming's client: a cold first invoke can outlast the inline half's limits; this measures its cost.
  private static final CallLimits TIME_TO_SPARE = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

  private DeferralCostProbe() {}

  public static void main(String[] args) throws Exception {
    HttpServer lambdaApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    lambdaApi.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    lambdaApi.start();
    Map<String, String> env = FakeAws.environment("LAMBDA", "http://127.0.0.1:" + lambdaApi.getAddress().getPort());
    byte[] payload = JobEvents.encode(new DeferredJob("probe", new SignedInteraction(
        "{\"type\":2}".getBytes(StandardCharsets.UTF_8), "ab".repeat(64), "1764309600"), Instant.now(), Instant.now()));

    long started = System.nanoTime();
    LambdaAsyncInvoker invoker = LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(env), TIME_TO_SPARE);
    long built = System.nanoTime();
    invoker.invokeAsync("valine-orchestrator-probe", Optional.of("1"), payload);
    long firstInvoked = System.nanoTime();
    long[] warm = new long[WARM_INVOKES];
    for (int i = 0; i < WARM_INVOKES; i++) {
      long t = System.nanoTime();
      invoker.invokeAsync("valine-orchestrator-probe", Optional.of("1"), payload);
      warm[i] = System.nanoTime() - t;
    }
    Arrays.sort(warm);
    lambdaApi.stop(0);
    System.out.printf("PROBE build_ms=%d first_invoke_ms=%d warm_invoke_median_us=%d%n", (built - started) / 1_000_000,
        (firstInvoked - built) / 1_000_000, warm[WARM_INVOKES / 2] / 1_000);
  }
}
