package dev.valine.orchestrator.doctor;

import static dev.valine.orchestrator.doctor.WiredStage.APP;
import static dev.valine.orchestrator.doctor.WiredStage.DISCORD;
import static dev.valine.orchestrator.doctor.WiredStage.GUILD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.doctor.Check.Status;
import dev.valine.orchestrator.json.Jackson;
import java.time.Clock;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Doctor's Discord lines against MockWebServer answering as Discord, right and wrong. */
class DoctorDiscordTest {
  private final WiredStage stage;

  DoctorDiscordTest() throws Exception {
    stage = new WiredStage();
  }

  @AfterEach
  void stop() {
    stage.close();
  }

  private Report run(Optional<String> guild) throws InterruptedException {
    OkHttpClient http = new OkHttpClient();
    Config config = Config.fromEnvironment(stage.env, Config.PublicKey.OPTIONAL);
    return new Doctor(config, guild, http, WiredStage.dns(), DoctorDiscordTest::noDynamo, Clock.systemUTC()).run();
  }

  private static DynamoDbClient noDynamo() {
    throw new AssertionError("no table is configured");
  }

  static Check line(Report report, String name) {
    return report.checks().stream().filter(check -> check.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + name + " in " + report));
  }

  @Test
  void aStageWiredRightPassesEveryDiscordCheck() throws Exception {
    Report report = run(Optional.empty());

    assertEquals(Status.PASS, line(report, DiscordChecks.TOKEN).status(), report.toString());
    assertTrue(line(report, DiscordChecks.TOKEN).detail().contains("DISCORD_BOT_TOKEN is accepted: bot valine-ops"));
    assertEquals(Status.PASS, line(report, DiscordChecks.APPLICATION).status());
    assertEquals(Status.PASS, line(report, DiscordChecks.PUBLIC_KEY).status());
    assertEquals(Status.PASS, line(report, DiscordChecks.CHANNEL).status(), line(report, DiscordChecks.CHANNEL).detail());
    assertEquals(Status.PASS, line(report, DiscordChecks.COMMANDS + " (global)").status(), report.toString());
    assertTrue(report.passed(), report.toString());
  }

  @Test
  void aRejectedTokenFailsAndSkipsWhatNeedsIt() throws Exception {
    stage.answer("GET", DISCORD + "/users/@me", 401, "{\"message\":\"401: Unauthorized\",\"code\":0}");

    Report report = run(Optional.empty());

    Check token = line(report, DiscordChecks.TOKEN);
    assertEquals(Status.FAIL, token.status());
    assertTrue(token.detail().contains("HTTP 401"), token.detail());
    assertTrue(token.fix().orElseThrow().contains("Reset Token"));
    assertEquals(Status.SKIP, line(report, DiscordChecks.PUBLIC_KEY).status());
    assertEquals(Status.SKIP, line(report, DiscordChecks.CHANNEL).status());
    assertFalse(report.passed());
  }

  @Test
  void aTokenOfAnotherApplicationFails() throws Exception {
    stage.answer("GET", DISCORD + "/applications/@me", 200, "{\"id\":\"1999\",\"verify_key\":\"" + stage.publicKey + "\"}");

    Check application = line(run(Optional.empty()), DiscordChecks.APPLICATION);

    assertEquals(Status.FAIL, application.status());
    assertTrue(application.detail().contains("DISCORD_APPLICATION_ID is " + APP + ", but DISCORD_BOT_TOKEN belongs to application 1999"),
        application.detail());
    assertTrue(application.fix().orElseThrow().contains("DISCORD_APPLICATION_ID=1999"));
  }

  @Test
  void aPublicKeyThatIsNotTheApplicationsFailsAndSaysWhichItShouldBe() throws Exception {
    String verifyKey = "cd".repeat(32);
    stage.answer("GET", DISCORD + "/applications/@me", 200, "{\"id\":\"" + APP + "\",\"verify_key\":\"" + verifyKey + "\"}");

    Report report = run(Optional.empty());

    Check key = line(report, DiscordChecks.PUBLIC_KEY);
    assertEquals(Status.FAIL, key.status());
    assertTrue(key.detail().contains("DISCORD_PUBLIC_KEY is " + stage.publicKey), key.detail());
    assertTrue(key.detail().contains("public key is " + verifyKey), key.detail());
    assertTrue(key.detail().contains("Interactions Endpoint URL will not verify"), key.detail());
    assertTrue(key.fix().orElseThrow().startsWith("set DISCORD_PUBLIC_KEY=" + verifyKey));
    assertFalse(report.passed());
  }

  @Test
  void anUnknownAlertChannelFails() throws Exception {
    stage.answer("GET", DISCORD + "/channels/" + WiredStage.CHANNEL, 404, "{\"message\":\"Unknown Channel\",\"code\":10003}");

    Check channel = line(run(Optional.empty()), DiscordChecks.CHANNEL);

    assertEquals(Status.FAIL, channel.status());
    assertTrue(channel.detail().contains("no channel " + WiredStage.CHANNEL), channel.detail());
    assertTrue(channel.fix().orElseThrow().contains("Copy Channel ID"));
  }

  @Test
  void anAlertChannelTheBotCannotSeeFails() throws Exception {
    stage.answer("GET", DISCORD + "/channels/" + WiredStage.CHANNEL, 403, "{\"message\":\"Missing Access\",\"code\":50001}");

    Check channel = line(run(Optional.empty()), DiscordChecks.CHANNEL);

    assertEquals(Status.FAIL, channel.status());
    assertTrue(channel.detail().contains("cannot see channel"), channel.detail());
  }

  @Test
  void anOverwriteThatDeniesSendingFailsNamingThePermission() throws Exception {
    stage.channel("[{\"id\":\"" + WiredStage.ROLE + "\",\"type\":0,\"allow\":\"0\",\"deny\":\"" + ChannelPermissions.SEND_MESSAGES + "\"}]");

    Check channel = line(run(Optional.empty()), DiscordChecks.CHANNEL);

    assertEquals(Status.FAIL, channel.status());
    assertEquals("the bot can see #ops but lacks Send Messages there", channel.detail());
  }

  @Test
  void permissionsThatCannotBeReadLeaveAVisibilityOnlyWarning() throws Exception {
    stage.answer("GET", DISCORD + "/guilds/" + GUILD + "/roles", 403, "{\"message\":\"Missing Access\",\"code\":50001}");

    Check channel = line(run(Optional.empty()), DiscordChecks.CHANNEL);

    assertEquals(Status.WARN, channel.status());
    assertTrue(channel.detail().startsWith("#ops is visible to the bot; its permissions there could not be computed"), channel.detail());
  }

  @Test
  void registeredCommandsThatDifferFailWithTheRegisterCommandAsFix() throws Exception {
    stage.answer("GET", DISCORD + "/applications/" + APP + "/commands", 200,
        "[{\"id\":\"1\",\"name\":\"status\",\"type\":1,\"description\":\"an old description\"},{\"id\":\"2\",\"name\":\"old\",\"type\":1,"
            + "\"description\":\"gone\"}]");

    Check commands = line(run(Optional.empty()), DiscordChecks.COMMANDS + " (global)");

    assertEquals(Status.FAIL, commands.status());
    assertTrue(commands.detail().contains("/status differs in description"), commands.detail());
    assertTrue(commands.detail().contains("/old registered but not defined"), commands.detail());
    assertEquals("java -jar valine-orchestrator.jar register", commands.fix().orElseThrow());
  }

  @Test
  void guildCommandsAlsoRegisteredGloballyFail() throws Exception {
    stage.answer("GET", DISCORD + "/applications/" + APP + "/guilds/" + GUILD + "/commands", 200, Jackson.text(stage.definitions(false)));

    Check commands = line(run(Optional.of(GUILD)), DiscordChecks.COMMANDS + " (guild " + GUILD + ")");

    assertEquals(Status.FAIL, commands.status());
    assertTrue(commands.detail().contains("also registered globally"), commands.detail());
  }

  @Test
  void guildCommandsAloneInTheirScopePass() throws Exception {
    stage.answer("GET", DISCORD + "/applications/" + APP + "/guilds/" + GUILD + "/commands", 200, Jackson.text(stage.definitions(false)));
    stage.answer("GET", DISCORD + "/applications/" + APP + "/commands", 200, "[]");

    Check commands = line(run(Optional.of(GUILD)), DiscordChecks.COMMANDS + " (guild " + GUILD + ")");

    assertEquals(Status.PASS, commands.status(), commands.detail());
  }

  @Test
  void withoutABotTokenEveryDiscordCheckIsSkippedWithTheReason() throws Exception {
    stage.env.remove("DISCORD_BOT_TOKEN");
    stage.env.remove("ENABLE_ALERTS");

    Report report = run(Optional.empty());

    assertEquals(Status.SKIP, line(report, DiscordChecks.TOKEN).status());
    assertTrue(line(report, DiscordChecks.TOKEN).detail().startsWith("DISCORD_BOT_TOKEN not set"));
    assertEquals(Status.SKIP, line(report, DiscordChecks.COMMANDS + " (global)").status());
  }
}
