package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.LoopbackUpstreams;
import dev.valine.orchestrator.SnapStartPriming;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.secrets.SecretTokens;
import dev.valine.orchestrator.secrets.TokenSource;
import dev.valine.orchestrator.secrets.Tokens;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What reading the tokens' secret adds to a command, against the loopback Secrets Manager stand-in
 * ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}). Usage: {@code SecretCostProbe primed|cold}, one mode per fresh JVM,
 * printing one {@code PROBE} line; {@code bench/secrets.sh} runs it with Lambda's JIT flags.
 *
 * <ul>
 *   <li>{@code primed}: an app configured as in Lambda ({@code SECRET_ID}, no token variables) is primed as before a
 *       SnapStart snapshot, which builds its Secrets Manager client and reads nothing; then the first read (what the
 *       first command after a restore pays), warm reads (the cache forgotten before each: what a command pays every
 *       {@link SecretTokens#TTL} or after a 401), and cache hits (every other command).</li>
 *   <li>{@code cold}: no priming, as in {@code serve} or a function without SnapStart: building the client and the
 *       first read.</li>
 * </ul>
 */
public final class SecretCostProbe {
  private static final int WARM_READS = 50;
  private static final int HITS = 10_000;

  private SecretCostProbe() {}

  public static void main(String[] args) throws Exception {
    try (LoopbackUpstreams secretsManager = LoopbackUpstreams.start(0)) {
      Map<String, String> aws = secretsManager.awsEnvironment("eu-west-1", "valine-orchestrator-probe");
      Map<String, String> env = new HashMap<>(Map.of("SECRET_ID", "valine/probe", "GITHUB_API_BASE", secretsManager.githubBase(),
          "GITHUB_REPO", "octo-org/deploy-service"));
      Config config = TestApps.config(new Signer(Clock.systemUTC()), env);
      if (args[0].equals("cold")) {
        long started = System.nanoTime();
        Tokens tokens = Tokens.forApp(config, new AwsEnvironment(aws), Clock.systemUTC());
        tokens.github().token();
        System.out.printf("PROBE cold_first_read_ms=%d%n", (System.nanoTime() - started) / 1_000_000);
      } else {
        App app = new App(config, Clock.systemUTC(), () -> Tracing.NONE, runner -> job -> { }, new AwsEnvironment(aws));
        int before = secretsManager.requests();
        new SnapStartPriming(app).prime();
        int readsInPriming = secretsManager.requests() - before;
        TokenSource github = app.tokens().github();
        SecretTokens secret = app.tokens().secret().orElseThrow();

        long started = System.nanoTime();
        github.token();
        long firstMicros = (System.nanoTime() - started) / 1_000;
        long[] warm = new long[WARM_READS];
        for (int i = 0; i < WARM_READS; i++) {
          secret.invalidate();
          long t = System.nanoTime();
          github.token();
          warm[i] = System.nanoTime() - t;
        }
        long hitsStarted = System.nanoTime();
        for (int i = 0; i < HITS; i++) {
          github.token();
        }
        long hitNanos = (System.nanoTime() - hitsStarted) / HITS;
        Arrays.sort(warm);
        System.out.printf("PROBE app_reads_in_priming=%d first_read_after_priming_us=%d warm_read_median_us=%d cache_hit_ns=%d%n",
            readsInPriming, firstMicros, warm[WARM_READS / 2] / 1_000, hitNanos);
      }
    }
    // The SDK's and the app's worker threads must not keep the probe alive.
    System.exit(0);
  }
}
