package dev.valine.orchestrator.testing;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.config.Config;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Builds the real App from an explicit environment, as Lambda would from its own. */
public final class TestApps {
  private TestApps() {}

  public static Config config(Signer signer, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("DISCORD_PUBLIC_KEY", signer.publicKeyHex());
    env.put("STAGE", "dev");
    // EMF lines would only crowd the test output; EmfMetricsTest and MetricsEndToEndTest turn them on.
    env.put("ENABLE_METRICS", "false");
    env.putAll(extra);
    return Config.fromEnvironment(env, Config.PublicKey.REQUIRED);
  }

  public static App app(Signer signer, Map<String, String> extra) {
    return new App(config(signer, extra), Clock.systemUTC());
  }

  /** A GitHub API token that looks like one but is built here, never a real credential. */
  public static String fakeGitHubToken() {
    return "ghp_" + "FAKE".repeat(9);
  }
}
