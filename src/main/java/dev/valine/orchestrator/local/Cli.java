package dev.valine.orchestrator.local;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.ConfigException;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.LineRedactor;
import dev.valine.orchestrator.observability.SecretRedactor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar valine-orchestrator.jar <subcommand>} (README, "Command line"). {@link #main} only calls
 * {@link #run} and exits with its code: 0 success, 1 failure, 2 usage error.
 */
public final class Cli {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String HELP = String.join("\n",
      "usage: java -jar valine-orchestrator.jar <subcommand> [options]",
      "",
      "subcommands:",
      "  serve [--port N]        local interactions endpoint on 127.0.0.1 (default port 3000)",
      "  invoke [--url U] [--key HEX] [--user ID] [--dm] <command|ping> [name=value ...]",
      "                          send a signed interaction, print the HTTP status and body",
      "  keygen                  print a new Ed25519 key pair as hex",
      "  commands                print the command definitions that registration sends",
      "  register [--guild ID] [--dry-run] [--clear]",
      "                          sync the commands to Discord with one bulk overwrite",
      "  doctor [--guild ID] [--json]",
      "                          check that this stage is wired right (Discord, GitHub, DynamoDB, targets)",
      "  redact                  copy stdin to stdout with secrets redacted, line by line",
      "",
      "Run '<subcommand> --help' for details. Configuration comes from the environment (README).");

  private final Map<String, String> env;
  private final Clock clock;
  private final SecureRandom random;

  public Cli(Map<String, String> env, Clock clock, SecureRandom random) {
    this.env = env;
    this.clock = clock;
    this.random = random;
  }

  public static void main(String[] args) {
    int code = new Cli(System.getenv(), Clock.systemUTC(), new SecureRandom()).run(args, System.in, System.out, System.err);
    // serve keeps running in its own threads; every other subcommand is done here.
    if (code != OK || args.length == 0 || !args[0].equals("serve")) {
      System.exit(code);
    }
  }

  /** Runs one command line; never calls {@code System.exit}. */
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      (args.length == 0 ? err : out).println(HELP);
      return args.length == 0 ? USAGE : OK;
    }
    String subcommand = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (subcommand) {
        case "serve":
          return new Serve(env, clock, random).run(rest, out, err);
        case "invoke":
          return new Invoke(env, random).run(rest, out, err);
        case "keygen":
          return keygen(rest, out);
        case "commands":
          return commands(rest, out);
        case "register":
          return new Register(env, clock).run(rest, out, err);
        case "doctor":
          return new DoctorCommand(env, clock).run(rest, out);
        case "redact":
          return redact(rest, in, out, err);
        default:
          throw new UsageException("unknown subcommand '" + subcommand + "' (see --help)");
      }
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    }
  }

  private int keygen(List<String> args, PrintStream out) throws UsageException {
    if (wantsHelp(args, out, "usage: keygen\n  Prints a new Ed25519 key pair as hex. Put the public key in "
        + "DISCORD_PUBLIC_KEY of a test stage and sign requests with the private one (invoke --key).")) {
      return OK;
    }
    Options.parse("keygen", args, Set.of(), Set.of());
    Ed25519KeyPair pair = Ed25519KeyPair.generate(random);
    out.println("public key:  " + pair.publicKeyHex());
    out.println("private key: " + pair.privateKeyHex());
    return OK;
  }

  private int commands(List<String> args, PrintStream out) throws UsageException {
    if (wantsHelp(args, out, "usage: commands\n  Prints the JSON array of command definitions that registration sends to Discord.")) {
      return OK;
    }
    Options.parse("commands", args, Set.of(), Set.of());
    List<CommandDefinition> definitions = App.commandDefinitions(Config.fromEnvironment(env, Config.PublicKey.OPTIONAL), clock);
    var array = Jackson.array();
    definitions.forEach(definition -> array.add(definition.toJson()));
    out.println(Jackson.pretty(array));
    return OK;
  }

  private int redact(List<String> args, InputStream in, PrintStream out, PrintStream err) throws UsageException {
    if (wantsHelp(args, out, "usage: redact\n  Copies stdin to stdout with secrets replaced by ***REDACTED***, one line out "
        + "per line in,\n  using the same redactor as the logs. Example: aws logs tail /aws/lambda/fn | java -jar ... redact")) {
      return OK;
    }
    Options.parse("redact", args, Set.of(), Set.of());
    try {
      new LineRedactor(new SecretRedactor()).copy(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out);
      return OK;
    } catch (IOException e) {
      err.println("error: redact: could not read stdin: " + e.getMessage());
      return FAILED;
    }
  }

  /** Lets a one-shot command exit promptly: OkHttp's dispatcher threads and pooled connections would linger. */
  static void release(okhttp3.OkHttpClient http) {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** Prints the help text and returns true when the arguments ask for it. */
  static boolean wantsHelp(List<String> args, PrintStream out, String help) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(help);
      return true;
    }
    return false;
  }
}
