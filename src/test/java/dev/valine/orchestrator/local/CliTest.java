package dev.valine.orchestrator.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return runWithInput("", env, args);
  }

  private int runWithInput(String input, Map<String, String> env, String... args) {
    return new Cli(env, Clock.systemUTC(), new SecureRandom()).run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsHelp() {
    assertEquals(0, run(Map.of(), "--help"));
    assertTrue(out().contains("serve [--port N]"));
    assertTrue(out().contains("invoke"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "invoke", "keygen", "commands", "redact", "register"})
  void everySubcommandHasHelp(String subcommand) {
    assertEquals(0, run(Map.of(), subcommand, "--help"));
    assertTrue(out().startsWith("usage: " + subcommand), out());
  }

  @Test
  void exitsWith2WithoutSubcommand() {
    assertEquals(2, run(Map.of()));
  }

  @Test
  void exitsWith2OnUnknownSubcommand() {
    assertEquals(2, run(Map.of(), "deploy"));
    assertEquals("error: unknown subcommand 'deploy' (see --help)\n", err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "invoke", "keygen", "commands", "redact", "register"})
  void exitsWith2OnUnknownFlag(String subcommand) {
    assertEquals(2, run(Map.of(), subcommand, "--verbose"));
    assertEquals("error: " + subcommand + ": unknown option --verbose (see " + subcommand + " --help)\n", err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "invoke", "keygen", "commands", "register", "redact"})
  void exitsWith2OnSingleDashFlag(String subcommand) {
    assertEquals(2, run(Map.of(), subcommand, "-p", "3000"));
    assertEquals("error: " + subcommand + ": unknown option -p; options are spelled with two dashes, like --port (see "
        + subcommand + " --help)\n", err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "keygen", "commands", "register", "redact"})
  void exitsWith2OnStrayArgument(String subcommand) {
    assertEquals(2, run(Map.of(), subcommand, "extra"));
    assertEquals("error: " + subcommand + ": unexpected argument 'extra' (see " + subcommand + " --help)\n", err());
  }

  @Test
  void rejectsBadPort() {
    assertEquals(2, run(Map.of(), "serve", "--port", "http"));
    assertTrue(err().contains("--port must be a number from 0 to 65535"));
  }

  @Test
  void keygenPrintsAWorkingKeyPair() {
    assertEquals(0, run(Map.of(), "keygen"));

    String[] lines = out().split("\n");
    String publicHex = lines[0].replace("public key:", "").trim();
    String privateHex = lines[1].replace("private key:", "").trim();
    assertEquals(publicHex, Ed25519KeyPair.fromPrivateKeyHex(privateHex).publicKeyHex());
  }

  @Test
  void commandsPrintsDefinitionsAsJsonArray() throws Exception {
    assertEquals(0, run(Map.of(), "commands"));

    JsonNode definitions = Jackson.parse(out());
    assertTrue(definitions.isArray());
    assertEquals("status", definitions.get(0).path("name").asText());
  }

  @Test
  void redactCopiesStdinLineByLine() {
    String input = "plain line\ncalling with token=abc123secret\n\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n"
        + "AQEFAASCBKcwggSjAgEAAoIBAQ\n-----END " + "PRIVATE KEY-----\nafter\n";

    assertEquals(0, runWithInput(input, Map.of(), "redact"));

    assertEquals("plain line\ncalling with token=***REDACTED***\n\n-----BEGIN " + "PRIVATE KEY-----\n***REDACTED***\n***REDACTED***\n"
        + "-----END " + "PRIVATE KEY-----\nafter\n", out());
  }

  @Test
  void commandsListsDebugLast() throws Exception {
    assertEquals(0, run(Map.of(), "commands"));

    assertEquals("debug-last", Jackson.parse(out()).get(1).path("name").asText());
  }

  @Test
  void reportsConfigurationProblemsWithExitCode1() {
    assertEquals(1, run(Map.of("STAGE", "qa"), "commands"));
    assertTrue(err().contains("STAGE must be one of dev, staging, prod"));
  }

  @Test
  void invokeSignsAndSendsPingToAServer() throws Exception {
    Signer discord = new Signer(Clock.systemUTC());
    App app = TestApps.app(discord, Map.of());
    try (LocalServer server = LocalServer.start(app.endpoint(), 0, "test", "dev", Clock.systemUTC())) {
      int code = run(Map.of(), "invoke", "--url", server.baseUrl() + "/interactions", "--key", discord.keys().privateKeyHex(), "ping");

      assertEquals(0, code, err());
      assertTrue(out().startsWith("HTTP 200\n"), out());
      assertEquals(1, Jackson.parse(out().substring("HTTP 200\n".length())).path("type").asInt());
    }
  }

  @Test
  void invokeSendsTypedOptionsAndReportsNon2xxWithExitCode1() throws Exception {
    Signer discord = new Signer(Clock.systemUTC());
    Ed25519KeyPair stranger = Ed25519KeyPair.generate(new SecureRandom());
    App app = TestApps.app(discord, Map.of());
    try (LocalServer server = LocalServer.start(app.endpoint(), 0, "test", "dev", Clock.systemUTC())) {
      int code = run(Map.of(), "invoke", "--url=" + server.baseUrl() + "/interactions", "--key", stranger.privateKeyHex(),
          "status", "count=2");

      assertEquals(1, code);
      assertTrue(out().startsWith("HTTP 401"), out());
    }
  }

  @Test
  void invokeRejectsOptionValueOfWrongType() {
    String key = Ed25519KeyPair.generate(new SecureRandom()).privateKeyHex();

    assertEquals(2, run(Map.of(), "invoke", "--key", key, "status", "count=many"));
    assertTrue(err().contains("option 'count' takes a number, got 'many'"), err());
  }

  @Test
  void invokeRefusesRolesInADirectMessage() {
    String key = Ed25519KeyPair.generate(new SecureRandom()).privateKeyHex();

    assertEquals(2, run(Map.of(), "invoke", "--key", key, "--dm", "--roles", "200000000000000001", "deploy-client"));
    assertTrue(err().contains("--roles and --dm do not go together"), err());
  }

  @Test
  void theBuilderSendsTheMembersRolesFromAGuild() {
    var interaction = new InteractionBuilder(new SecureRandom()).roles(List.of("200000000000000001", "200000000000000002"))
        .command("deploy-client", Optional.empty(), Map.of());

    assertEquals("[\"200000000000000001\",\"200000000000000002\"]", interaction.path("member").path("roles").toString());
  }

  @Test
  void invokeExplainsUnreachableServer() {
    String key = Ed25519KeyPair.generate(new SecureRandom()).privateKeyHex();

    assertEquals(1, run(Map.of(), "invoke", "--url", "http://127.0.0.1:1/interactions", "--key", key, "ping"));
    assertTrue(err().contains("could not reach http://127.0.0.1:1/interactions"), err());
  }
}
