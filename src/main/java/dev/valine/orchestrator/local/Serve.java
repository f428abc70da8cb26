package dev.valine.orchestrator.local;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code serve [--port N]}: the local endpoint on the Lambda code path; runs until the process is stopped. */
final class Serve {
  private static final String HELP = String.join("\n",
      "usage: serve [--port N]",
      "  Serves POST /interactions (the Lambda code path) and GET /health on 127.0.0.1, port 3000 by default",
      "  (0 picks a free port). Without DISCORD_PUBLIC_KEY it uses a dev key pair kept in",
      "  " + DevKeys.DEFAULT_FILE + ", which invoke signs with by default.");

  private final Map<String, String> env;
  private final Clock clock;
  private final SecureRandom random;

  Serve(Map<String, String> env, Clock clock, SecureRandom random) {
    this.env = env;
    this.clock = clock;
    this.random = random;
  }

  int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
    if (Cli.wantsHelp(args, out, HELP)) {
      return Cli.OK;
    }
    Options options = Options.parse("serve", args, Set.of("port"), Set.of());
    int port = port(options.value("port").orElse("3000"));
    Config config = Config.fromEnvironment(env, Config.PublicKey.OPTIONAL);
    boolean devKey = config.discordPublicKey().isEmpty();
    if (devKey) {
      try {
        Ed25519KeyPair pair = DevKeys.loadOrCreate(DevKeys.DEFAULT_FILE, random);
        config = config.withDiscordPublicKey(pair.publicKeyHex());
      } catch (IOException e) {
        err.println("error: cannot create the dev key in " + DevKeys.DEFAULT_FILE + ": " + e.getMessage());
        return Cli.FAILED;
      }
    }
    App app = new App(config, clock, App.defaultTracing(env), App.defaultLaunchers(env), new AwsEnvironment(env));
    Optional<String> table = config.traceTable();
    try {
      // Locally `serve` creates the shared-state table; in Lambda the template owns it.
      Optional<Boolean> created = app.ensureStateTable();
      created.ifPresent(isNew -> out.println((isNew ? "Created" : "Using") + " DynamoDB table " + table.orElseThrow()
          + " for traces and alert dedup"));
    } catch (RuntimeException e) {
      err.println("error: cannot use the DynamoDB table " + table.orElse("") + ": " + e.getMessage()
          + "\n  check AWS_REGION and credentials, or AWS_ENDPOINT_URL_DYNAMODB for a local server");
      return Cli.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Cli.FAILED;
    }
    LocalServer server;
    try {
      server = LocalServer.start(app.endpoint(), port, App.VERSION, config.stage().id(), clock);
    } catch (BindException e) {
      err.println("error: port " + port + " is in use; pick another with --port N");
      return Cli.FAILED;
    } catch (IOException e) {
      err.println("error: cannot start the server: " + e.getMessage());
      return Cli.FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "serve-shutdown"));
    out.println("valine-orchestrator " + App.VERSION + " (stage " + config.stage().id() + ") listening on " + server.baseUrl());
    out.println("  POST " + server.baseUrl() + "/interactions    GET " + server.baseUrl() + "/health");
    if (devKey) {
      out.println("No DISCORD_PUBLIC_KEY set: using a dev key pair.");
      out.println("  public key:  " + config.discordPublicKey().orElseThrow());
      out.println("  private key: in " + DevKeys.DEFAULT_FILE.toAbsolutePath() + " (invoke signs with it by default)");
    }
    out.println("Try: java -jar target/valine-orchestrator.jar invoke"
        + (port == 3000 ? "" : " --url " + server.baseUrl() + "/interactions") + " status");
    out.flush();
    return Cli.OK;
  }

  private static int port(String text) throws UsageException {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("serve: --port must be a number from 0 to 65535, got '" + text + "'");
  }
}
