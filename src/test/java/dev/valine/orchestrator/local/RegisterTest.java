package dev.valine.orchestrator.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code register} against MockWebServer playing Discord's application command endpoints. */
class RegisterTest {
  private static final String APP = "1200000000000000000";
  private static final String GUILD = "290926798626357999";

  private final MockWebServer discord = new MockWebServer();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final String botToken = "fake-bot-token-" + Long.toHexString(new SecureRandom().nextLong());

  @BeforeEach
  void start() throws Exception {
    discord.start();
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  private int register(String... args) {
    return registerWith(Map.of(), args);
  }

  private int registerWith(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("DISCORD_API_BASE", discord.url("/api/v10").toString(),
        "DISCORD_APPLICATION_ID", APP, "DISCORD_BOT_TOKEN", botToken));
    env.putAll(extraEnv);
    String[] command = new String[args.length + 1];
    command[0] = "register";
    System.arraycopy(args, 0, command, 1, args.length);
    return new Cli(env, Clock.systemUTC(), new SecureRandom()).run(command, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static ObjectNode existing(String name, String description) {
    return Jackson.object().put("id", "77182500601488998" + name.length()).put("application_id", APP).put("version", "1")
        .put("name", name).put("type", 1).put("description", description);
  }

  @Test
  void overwritesGlobalCommandsAndPrintsTheDiff() throws Exception {
    discord.enqueue(json(Jackson.text(Jackson.array().add(existing("old-cmd", "Gone")))));
    discord.enqueue(json("[{\"name\":\"status\"},{\"name\":\"debug-last\"}]"));

    assertEquals(0, register(), err.toString());

    assertTrue(out().startsWith("Scope: global"), out());
    assertTrue(out().contains("  + /status  (new)"));
    assertTrue(out().contains("  + /debug-last  (new)"));
    assertTrue(out().contains("  - /old-cmd  (removed)"));
    assertTrue(out().contains("Registered 2 commands with one bulk overwrite."));
    RecordedRequest get = discord.takeRequest();
    assertEquals("GET", get.getMethod());
    assertEquals("/api/v10/applications/" + APP + "/commands", get.getTarget());
    RecordedRequest put = discord.takeRequest();
    assertEquals("PUT", put.getMethod());
    assertEquals("/api/v10/applications/" + APP + "/commands", put.getTarget());
    assertEquals("Bot " + botToken, put.getHeaders().get("Authorization"));
    JsonNode body = Jackson.parse(put.getBody().utf8());
    assertEquals("status", body.get(0).path("name").asText());
    assertEquals("debug-last", body.get(1).path("name").asText());
    assertEquals(Jackson.parse("[0,1]"), body.get(0).path("contexts"), "global commands say where they may be used");
  }

  @Test
  void overwritesOneGuildAndWarnsAboutGlobalDuplicates() throws Exception {
    discord.enqueue(json("[]"));
    discord.enqueue(json(Jackson.text(Jackson.array().add(existing("status", "Recent runs of the deploy workflows")))));
    discord.enqueue(json("[{\"name\":\"status\"},{\"name\":\"debug-last\"}]"));

    assertEquals(0, register("--guild", GUILD), err.toString());

    assertTrue(out().startsWith("Scope: guild " + GUILD), out());
    assertTrue(out().contains("warning: /status also registered globally"), out());
    assertEquals("/api/v10/applications/" + APP + "/guilds/" + GUILD + "/commands", discord.takeRequest().getTarget());
    assertEquals("/api/v10/applications/" + APP + "/commands", discord.takeRequest().getTarget(), "global checked for duplicates");
    RecordedRequest put = discord.takeRequest();
    assertEquals("PUT", put.getMethod());
    assertEquals("/api/v10/applications/" + APP + "/guilds/" + GUILD + "/commands", put.getTarget());
    assertTrue(Jackson.parse(put.getBody().utf8()).get(0).path("contexts").isMissingNode(), "guild commands carry no global-only fields");
  }

  @Test
  void dryRunSendsNothing() throws Exception {
    ArrayNode current = Jackson.array().add(existing("status", "Old description"));
    discord.enqueue(json(Jackson.text(current)));

    assertEquals(0, register("--dry-run"));

    assertTrue(out().contains("  ~ /status  (changed: description, contexts, integration_types, options)"), out());
    assertTrue(out().contains("Dry run: nothing sent."));
    assertEquals(1, discord.getRequestCount(), "only the GET");
  }

  @Test
  void dryRunEnvironmentSendsNothingEither() throws Exception {
    discord.enqueue(json("[]"));

    assertEquals(0, registerWith(Map.of("DRY_RUN", "true")));

    assertTrue(out().contains("Dry run (DRY_RUN=true): nothing sent."), out());
    assertEquals(1, discord.getRequestCount());
  }

  @Test
  void clearEmptiesTheScope() throws Exception {
    discord.enqueue(json(Jackson.text(Jackson.array().add(existing("status", "x")))));
    discord.enqueue(json("[]"));

    assertEquals(0, register("--guild", GUILD, "--clear"));

    discord.takeRequest();
    assertEquals(Jackson.array(), Jackson.parse(discord.takeRequest().getBody().utf8()));
    assertTrue(out().contains("  - /status  (removed)"));
    assertTrue(out().contains("Registered 0 commands"));
  }

  @Test
  void needsApplicationIdAndBotToken() {
    int code = new Cli(Map.of(), Clock.systemUTC(), new SecureRandom()).run(new String[] {"register"}, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(1, code);
    assertEquals("error: register needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (Developer Portal > your app)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsGuildIdThatIsNotASnowflake() {
    assertEquals(2, register("--guild", "my-server"));
  }

  @Test
  void reportsDiscordErrorWithoutTheToken() {
    discord.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"401: Unauthorized\",\"code\":0}").build());

    assertEquals(1, register());

    String error = err.toString(StandardCharsets.UTF_8);
    assertTrue(error.contains("Discord answered HTTP 401 to GET /applications/{application_id}/commands"), error);
    assertFalse(error.contains(botToken));
  }
}
