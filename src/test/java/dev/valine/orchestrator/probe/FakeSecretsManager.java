package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.LoopbackUpstreams;
import java.util.Map;

/**
 * Secrets Manager on loopback for benchmarks: answers every {@code GetSecretValue} with a secret of obviously fake
 * tokens ({@link LoopbackUpstreams}). Prints its port and, as {@code export} lines, the AWS settings that point the
 * SDK at it (region, endpoint, placeholder keys that it does not check); then, until killed, prints
 * {@code FAKE_SECRETS_MANAGER_REQUESTS=<n>} whenever the number of requests it has answered changes, so that a
 * script can tell whether a run really read the secret. Usage: {@code FakeSecretsManager <port>} (0 for any free port).
 */
public final class FakeSecretsManager {
  // Only what the Secrets Manager client needs: the stand-ins' other endpoints and the Lambda function name would
  // send the probe's deferrals and shared state elsewhere.
  private static final String[] EXPORTED = {"AWS_REGION", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY"};

  private FakeSecretsManager() {}

  public static void main(String[] args) throws Exception {
    LoopbackUpstreams upstreams = LoopbackUpstreams.start(Integer.parseInt(args[0]));
    Map<String, String> aws = upstreams.awsEnvironment("eu-west-1", "valine-orchestrator-bench");
    System.out.println("FAKE_SECRETS_MANAGER_PORT=" + upstreams.port());
    for (String name : EXPORTED) {
      System.out.println("export " + name + "=" + aws.get(name));
    }
    System.out.println("FAKE_SECRETS_MANAGER_REQUESTS=0");
    System.out.flush();
    int reported = 0;
    while (true) {
      // A poll rather than a hook in the stand-in: it costs nothing measurable and keeps the stand-in as priming uses it.
      Thread.sleep(10);
      int now = upstreams.requests();
      if (now != reported) {
        reported = now;
        System.out.println("FAKE_SECRETS_MANAGER_REQUESTS=" + now);
        System.out.flush();
      }
    }
  }
}
