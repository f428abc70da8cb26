package dev.valine.orchestrator.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.CommandDiff;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.time.Sleeper;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * {@code register [--guild ID] [--dry-run] [--clear]}: syncs the command definitions to one scope with a
 * single bulk overwrite, which is idempotent and removes what is no longer defined. Prints the scope and
 * what is added, changed and removed. One scope per run, never both: registering the same commands
 * globally and in a guild shows them twice there, so it warns when it sees that.
 */
final class Register {
  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
  private static final Duration BUDGET = Duration.ofSeconds(30);
  private static final String HELP = String.join("\n",
      "usage: register [--guild ID] [--dry-run] [--clear]",
      "  Syncs the command definitions to Discord with one bulk overwrite and prints what changed.",
      "  --guild ID  register in this guild only (instant; for dev and testing). Without it: global.",
      "  --dry-run   show what would change; send nothing (also with DRY_RUN=true)",
      "  --clear     remove every command from the scope (e.g. guild copies that duplicate global ones)",
      "  Needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN.");

  private final Map<String, String> env;
  private final Clock clock;

  Register(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
    if (Cli.wantsHelp(args, out, HELP)) {
      return Cli.OK;
    }
    Options options = Options.parse("register", args, Set.of("guild"), Set.of("dry-run", "clear"));
    Optional<String> guild = options.value("guild");
    if (guild.isPresent() && !SNOWFLAKE.matcher(guild.get()).matches()) {
      throw new UsageException("register: --guild takes a numeric guild id, got '" + guild.get() + "'");
    }
    Config config = Config.fromEnvironment(env, Config.PublicKey.OPTIONAL);
    List<String> missing = new ArrayList<>();
    if (config.discordApplicationId().isEmpty()) {
      missing.add("DISCORD_APPLICATION_ID");
    }
    if (config.discordBotToken().isEmpty()) {
      missing.add("DISCORD_BOT_TOKEN");
    }
    if (!missing.isEmpty()) {
      err.println("error: register needs " + String.join(" and ", missing) + " (Developer Portal > your app)");
      return Cli.FAILED;
    }
    String application = config.discordApplicationId().orElseThrow();
    ArrayNode desired = Jackson.array();
    if (!options.has("clear")) {
      for (CommandDefinition definition : App.commandDefinitions(config, clock)) {
        desired.add(definition.toJson(guild.isEmpty()));
      }
    }
    OkHttpClient http = new OkHttpClient();
    try {
      DiscordClient discord = new DiscordClient(http, config.discordApiBase(), config.discordBotToken(), App.VERSION, clock,
          Sleeper.SYSTEM, new Random());
      out.println(guild.map(id -> "Scope: guild " + id + " (changes show at once; use for dev and testing)")
          .orElse("Scope: global (every guild and the bot's DMs; clients may take a while to refresh)"));
      JsonNode existing = discord.getCommands(application, guild, BUDGET);
      CommandDiff diff = CommandDiff.between(existing, desired);
      print(diff, out);
      if (guild.isPresent() && !options.has("clear")) {
        warnAboutDuplicates(discord, application, desired, out);
      }
      if (options.has("dry-run") || config.dryRun()) {
        out.println("Dry run" + (config.dryRun() ? " (DRY_RUN=true)" : "") + ": nothing sent.");
        return Cli.OK;
      }
      if (diff.isEmpty()) {
        out.println("Already in sync; sent the overwrite anyway (it is idempotent).");
      }
      JsonNode result = discord.bulkOverwriteCommands(application, guild, desired, BUDGET);
      out.println("Registered " + result.size() + " command" + (result.size() == 1 ? "" : "s") + " with one bulk overwrite.");
      if (guild.isEmpty()) {
        out.println("If you registered these in a test guild before, clear it so they do not show twice: register --guild <id> --clear");
      }
      return Cli.OK;
    } catch (DiscordException e) {
      err.println("error: " + e.getMessage());
      return Cli.FAILED;
    } finally {
      Cli.release(http);
    }
  }

  private static void print(CommandDiff diff, PrintStream out) {
    diff.added().forEach(name -> out.println("  + /" + name + "  (new)"));
    diff.changed().forEach((name, fields) -> out.println("  ~ /" + name + "  (changed: " + String.join(", ", fields) + ")"));
    diff.removed().forEach(name -> out.println("  - /" + name + "  (removed)"));
    diff.unchanged().forEach(name -> out.println("  = /" + name + "  (unchanged)"));
    if (diff.added().isEmpty() && diff.changed().isEmpty() && diff.removed().isEmpty() && diff.unchanged().isEmpty()) {
      out.println("  (no commands on either side)");
    }
  }

  /** Guild commands with the same name as global ones both show in that guild (discord-api-docs#3885). */
  private static void warnAboutDuplicates(DiscordClient discord, String application, ArrayNode desired, PrintStream out)
      throws DiscordException {
    JsonNode global = discord.getCommands(application, Optional.empty(), BUDGET);
    List<String> both = new ArrayList<>();
    for (JsonNode command : desired) {
      String name = command.path("name").asText();
      global.forEach(existing -> {
        if (existing.path("name").asText().equals(name)) {
          both.add("/" + name);
        }
      });
    }
    if (!both.isEmpty()) {
      out.println("warning: " + String.join(", ", both) + " also registered globally: in this guild each will show twice."
          + " Keep one scope: register --guild <id> --clear removes the guild copies.");
    }
  }
}
