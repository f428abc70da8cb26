package dev.valine.orchestrator.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.CommandDiff;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.json.Jackson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Discord: the bot token, the application it belongs to and that application's public key, the alert channel,
 * and the registered commands. All but the first need the token, so a rejected token skips the rest.
 */
final class DiscordChecks implements Section {
  static final String TOKEN = "Discord bot token";
  static final String APPLICATION = "Discord application id";
  static final String PUBLIC_KEY = "Discord public key";
  static final String CHANNEL = "Discord alert channel";
  static final String COMMANDS = "Discord commands";
  // Thread channels take Send Messages in Threads instead of Send Messages; their permissions come from the parent.
  private static final Set<Integer> THREAD_TYPES = Set.of(10, 11, 12);

  private final Config config;
  private final DiscordClient discord;
  private final List<CommandDefinition> definitions;
  private final Optional<String> guild;
  private final Duration budget;

  /**
   * @param guild the guild the stage registers its commands in ({@code doctor --guild}); empty for global commands
   * @param budget each call's time, retries included
   */
  DiscordChecks(Config config, DiscordClient discord, List<CommandDefinition> definitions, Optional<String> guild, Duration budget) {
    this.config = config;
    this.discord = discord;
    this.definitions = List.copyOf(definitions);
    this.guild = guild;
    this.budget = budget;
  }

  @Override
  public String title() {
    return "Discord";
  }

  @Override
  public List<Check> run() {
    String commands = commandsName();
    if (config.discordBotToken().isEmpty()) {
      String reason = "DISCORD_BOT_TOKEN not set" + TokenOrigins.secretNote(config, "botToken", "DISCORD_BOT_TOKEN");
      return List.of(Check.skip(TOKEN, reason + " (Developer Portal > your app > Bot > Reset Token)"), Check.skip(APPLICATION, reason),
          Check.skip(PUBLIC_KEY, reason), Check.skip(CHANNEL, reason), Check.skip(commands, reason));
    }
    List<Check> checks = new ArrayList<>();
    JsonNode user;
    JsonNode application;
    try {
      user = discord.currentUser(budget);
      application = discord.currentApplication(budget);
    } catch (DiscordException e) {
      checks.add(tokenFailure(e));
      String reason = "needs Discord to accept DISCORD_BOT_TOKEN (see " + TOKEN + ")";
      List.of(APPLICATION, PUBLIC_KEY, CHANNEL, commands).forEach(name -> checks.add(Check.skip(name, reason)));
      return checks;
    }
    String botId = user.path("id").asText();
    if (!user.path("bot").asBoolean(false)) {
      checks.add(Check.fail(TOKEN, "DISCORD_BOT_TOKEN is accepted, but it is the token of the user " + user.path("username").asText()
          + ", not of a bot", "put the bot's token in DISCORD_BOT_TOKEN: Developer Portal > your app > Bot > Reset Token"));
    } else {
      checks.add(Check.pass(TOKEN, "DISCORD_BOT_TOKEN is accepted: bot " + user.path("username").asText() + " (id " + botId + ")"
          + TokenOrigins.overridesNote(config, "botToken")));
    }
    String applicationId = application.path("id").asText();
    checks.add(applicationCheck(applicationId));
    checks.add(publicKeyCheck(applicationId, application.path("verify_key").asText("")));
    checks.add(channelCheck(botId));
    checks.add(commandsCheck(commands));
    return checks;
  }

  private String commandsName() {
    return COMMANDS + guild.map(id -> " (guild " + id + ")").orElse(" (global)");
  }

  private static Check tokenFailure(DiscordException e) {
    if (e.kind() == DiscordException.Kind.UNAUTHORIZED) {
      return Check.fail(TOKEN, "Discord rejected DISCORD_BOT_TOKEN (HTTP 401): it is mistyped, or was reset",
          "Developer Portal > your app > Bot > Reset Token, put the new token in DISCORD_BOT_TOKEN, and redeploy");
    }
    return Check.fail(TOKEN, "could not ask Discord about DISCORD_BOT_TOKEN: " + e.getMessage(),
        "check that DISCORD_API_BASE (" + "default " + Config.DEFAULT_DISCORD_API_BASE + ") is reachable from here, then run doctor again");
  }

  private Check applicationCheck(String actual) {
    Optional<String> configured = config.discordApplicationId();
    if (configured.isEmpty()) {
      return Check.skip(APPLICATION, "DISCORD_APPLICATION_ID not set; the bot token's application is " + actual
          + " (register and this check need it)");
    }
    if (!configured.get().equals(actual)) {
      return Check.fail(APPLICATION, "DISCORD_APPLICATION_ID is " + configured.get() + ", but DISCORD_BOT_TOKEN belongs to application "
          + actual, "set DISCORD_APPLICATION_ID=" + actual + ", or use the bot token of application " + configured.get()
          + " (Developer Portal > that app > Bot)");
    }
    return Check.pass(APPLICATION, "DISCORD_APPLICATION_ID " + actual + " is the bot token's application");
  }

  /** The usual reason Discord will not save the Interactions Endpoint URL: signatures made with another key. */
  private Check publicKeyCheck(String applicationId, String verifyKey) {
    Optional<String> configured = config.discordPublicKey();
    if (configured.isEmpty()) {
      return Check.skip(PUBLIC_KEY, "DISCORD_PUBLIC_KEY not set (the Lambda function does not start without it; serve makes a dev key);"
          + " application " + applicationId + "'s public key is " + verifyKey);
    }
    if (!configured.get().equalsIgnoreCase(verifyKey)) {
      return Check.fail(PUBLIC_KEY, "DISCORD_PUBLIC_KEY is " + configured.get() + ", but application " + applicationId
          + "'s public key is " + verifyKey + ": every request Discord signs fails verification (401), so the Interactions "
          + "Endpoint URL will not verify", "set DISCORD_PUBLIC_KEY=" + verifyKey
          + " (Developer Portal > General Information > Public Key), redeploy, then save the Interactions Endpoint URL again");
    }
    return Check.pass(PUBLIC_KEY, "DISCORD_PUBLIC_KEY is application " + applicationId + "'s public key");
  }

  private Check channelCheck(String botId) {
    Optional<String> configured = config.alertChannelId();
    if (configured.isEmpty()) {
      return Check.skip(CHANNEL, "ALERT_CHANNEL_ID not set" + (config.alertsEnabled() ? "" : " (alerts are off: ENABLE_ALERTS is not true)"));
    }
    String id = configured.get();
    String off = config.alertsEnabled() ? "" : " (alerts are off: ENABLE_ALERTS is not true)";
    JsonNode channel;
    try {
      channel = discord.channel(id, budget);
    } catch (DiscordException e) {
      if (e.kind() == DiscordException.Kind.NOT_FOUND) {
        return Check.fail(CHANNEL, "Discord knows no channel " + id + " (HTTP 404)", "copy the ops channel's id into ALERT_CHANNEL_ID "
            + "(Developer Mode > right-click the channel > Copy Channel ID)");
      }
      if (e.kind() == DiscordException.Kind.FORBIDDEN) {
        return Check.fail(CHANNEL, "the bot cannot see channel " + id + " (HTTP 403): it is not in that server, or the channel hides "
            + "from its roles", "invite the bot to the server, and allow its role View Channel, Send Messages and Embed Links there");
      }
      return Check.fail(CHANNEL, "could not read channel " + id + ": " + e.getMessage(), "run doctor again; if it persists, check Discord's status");
    }
    String named = "#" + channel.path("name").asText(id);
    String guildId = channel.path("guild_id").asText("");
    if (guildId.isEmpty() || THREAD_TYPES.contains(channel.path("type").asInt())) {
      return Check.pass(CHANNEL, named + " is visible to the bot (checked visibility only: not a server text channel)" + off);
    }
    try {
      JsonNode member = discord.guildMember(guildId, botId, budget);
      JsonNode roles = discord.guildRoles(guildId, budget);
      long permissions = ChannelPermissions.compute(guildId, botId, member.path("roles"), roles, channel.path("permission_overwrites"));
      List<String> missing = ChannelPermissions.missing(permissions, ChannelPermissions.FOR_ALERTS);
      if (!missing.isEmpty()) {
        return Check.fail(CHANNEL, "the bot can see " + named + " but lacks " + String.join(", ", missing) + " there", "in " + named
            + " > Edit Channel > Permissions, allow the bot's role " + String.join(", ", missing));
      }
      return Check.pass(CHANNEL, "the bot may post alerts in " + named + " (View Channel, Send Messages, Embed Links)" + off);
    } catch (DiscordException e) {
      return Check.warn(CHANNEL, named + " is visible to the bot; its permissions there could not be computed: " + e.getMessage(),
          "make sure the bot's role allows Send Messages and Embed Links in " + named);
    }
  }

  private Check commandsCheck(String name) {
    Optional<String> application = config.discordApplicationId();
    if (application.isEmpty()) {
      return Check.skip(name, "DISCORD_APPLICATION_ID not set");
    }
    ArrayNode desired = Jackson.array();
    definitions.forEach(definition -> desired.add(definition.toJson(guild.isEmpty())));
    String register = "java -jar valine-orchestrator.jar register" + guild.map(id -> " --guild " + id).orElse("");
    try {
      CommandDiff diff = CommandDiff.between(discord.getCommands(application.get(), guild, budget), desired);
      if (!diff.isEmpty()) {
        List<String> differences = new ArrayList<>();
        diff.added().forEach(command -> differences.add("/" + command + " not registered"));
        diff.changed().forEach((command, fields) -> differences.add("/" + command + " differs in " + String.join(", ", fields)));
        diff.removed().forEach(command -> differences.add("/" + command + " registered but not defined"));
        return Check.fail(name, "the registered commands differ from the definitions: " + String.join("; ", differences), register);
      }
      if (guild.isPresent()) {
        List<String> twice = new ArrayList<>();
        Set<String> defined = new java.util.HashSet<>(diff.unchanged());
        discord.getCommands(application.get(), Optional.empty(), budget).forEach(global -> {
          if (defined.contains(global.path("name").asText())) {
            twice.add("/" + global.path("name").asText());
          }
        });
        if (!twice.isEmpty()) {
          return Check.fail(name, String.join(", ", twice) + " also registered globally: each shows twice in this guild",
              "keep one scope: " + register + " --clear removes the guild copies");
        }
      }
      return Check.pass(name, diff.unchanged().size() + " registered, as defined: "
          + String.join(", ", diff.unchanged().stream().map(command -> "/" + command).toList()));
    } catch (DiscordException e) {
      return Check.fail(name, "could not read the registered commands: " + e.getMessage(),
          "check DISCORD_APPLICATION_ID" + guild.map(id -> ", and that the bot is in guild " + id).orElse(""));
    }
  }
}
