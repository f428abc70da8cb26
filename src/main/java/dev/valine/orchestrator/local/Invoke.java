package dev.valine.orchestrator.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code invoke}: signs an interaction like Discord does, POSTs it, prints the status and body. Exit code
 * 0 for a 2xx answer, 1 otherwise, so it works as a smoke test in scripts.
 */
final class Invoke {
  static final String DEFAULT_URL = "http://127.0.0.1:3000/interactions";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String HELP = String.join("\n",
      "usage: invoke [--url U] [--key HEX] [--user ID] [--roles ID,...] [--dm] <command|ping> [name=value ...]",
      "  Sends a signed PING or slash command and prints the HTTP status and response body.",
      "  --url U     endpoint (default " + DEFAULT_URL + ")",
      "  --key HEX   Ed25519 private key to sign with (default: $VALINE_SIGNING_KEY, else the dev key",
      "              that serve keeps in " + DevKeys.DEFAULT_FILE + ")",
      "  --user ID   the invoking user's id (default 100000000000000004)",
      "  --roles IDS the invoking member's guild role ids, comma-separated (for OPERATOR_ROLE_IDS, ADMIN_ROLE_IDS)",
      "  --dm        send as a direct message (no guild) instead of from a guild channel",
      "examples:",
      "  invoke ping",
      "  invoke status count=5",
      "  invoke --roles 200000000000000001 deploy-client ref=main");

  private final Map<String, String> env;
  private final SecureRandom random;

  Invoke(Map<String, String> env, SecureRandom random) {
    this.env = env;
    this.random = random;
  }

  int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
    if (Cli.wantsHelp(args, out, HELP)) {
      return Cli.OK;
    }
    Options options = Options.parseWithPositionals("invoke", args, Set.of("url", "key", "user", "roles"), Set.of("dm"));
    if (options.positionals().isEmpty()) {
      throw new UsageException("invoke: name a command, or ping (see invoke --help)");
    }
    String command = options.positionals().get(0);
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : options.positionals().subList(1, options.positionals().size())) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new UsageException("invoke: options are name=value, got '" + pair + "'");
      }
      values.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    String url = options.value("url").orElse(DEFAULT_URL);
    if (okhttp3.HttpUrl.parse(url) == null) {
      throw new UsageException("invoke: --url must be an http(s) URL, got '" + url + "'");
    }
    Ed25519KeyPair key = signingKey(options.value("key"));

    InteractionBuilder builder = new InteractionBuilder(random).directMessage(options.has("dm"));
    options.value("user").ifPresent(builder::user);
    if (options.value("roles").isPresent()) {
      if (options.has("dm")) {
        throw new UsageException("invoke: --roles and --dm do not go together: a direct message has no guild roles");
      }
      builder.roles(java.util.Arrays.stream(options.value("roles").get().split(",")).map(String::trim).filter(id -> !id.isEmpty())
          .toList());
    }
    ObjectNode interaction;
    if (command.equals("ping")) {
      interaction = builder.ping();
    } else {
      try {
        interaction = builder.command(command, definition(command), values);
      } catch (IllegalArgumentException e) {
        throw new UsageException("invoke: " + e.getMessage());
      }
    }
    byte[] body = Jackson.bytes(interaction);
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    Request request = new Request.Builder().url(url)
        .header("X-Signature-Ed25519", key.sign(timestamp, body))
        .header("X-Signature-Timestamp", timestamp)
        .header("User-Agent", "valine-orchestrator-invoke/" + App.VERSION)
        .post(RequestBody.create(body, JSON))
        .build();
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      out.println("HTTP " + response.code());
      out.println(prettyIfJson(text));
      return response.isSuccessful() ? Cli.OK : Cli.FAILED;
    } catch (IOException e) {
      err.println("error: could not reach " + url + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); is serve running?");
      return Cli.FAILED;
    } finally {
      Cli.release(http);
    }
  }

  private Ed25519KeyPair signingKey(Optional<String> flag) throws UsageException {
    Optional<String> hex = flag.or(() -> Optional.ofNullable(env.get("VALINE_SIGNING_KEY")).filter(s -> !s.isBlank()));
    try {
      if (hex.isPresent()) {
        return Ed25519KeyPair.fromPrivateKeyHex(hex.get());
      }
      if (Files.exists(DevKeys.DEFAULT_FILE)) {
        return DevKeys.load(DevKeys.DEFAULT_FILE);
      }
    } catch (IllegalArgumentException | IOException e) {
      throw new UsageException("invoke: " + e.getMessage());
    }
    throw new UsageException("invoke: no signing key; pass --key HEX (see keygen) or start serve once to create "
        + DevKeys.DEFAULT_FILE);
  }

  private Optional<CommandDefinition> definition(String command) {
    return App.commandDefinitions(Config.fromEnvironment(env, Config.PublicKey.OPTIONAL), Clock.systemUTC()).stream()
        .filter(definition -> definition.name().equals(command))
        .findFirst();
  }

  private static String prettyIfJson(String text) {
    try {
      return Jackson.pretty(Jackson.parse(text));
    } catch (IOException e) {
      return text;
    }
  }
}
