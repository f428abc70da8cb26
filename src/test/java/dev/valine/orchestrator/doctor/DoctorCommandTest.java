package dev.valine.orchestrator.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code java -jar … doctor} through the CLI: its output, its exit codes, and that no token is ever printed. */
class DoctorCommandTest {
  private final WiredStage stage;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  DoctorCommandTest() throws Exception {
    stage = new WiredStage();
  }

  @AfterEach
  void stop() {
    stage.close();
  }

  private int doctor(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "doctor";
    System.arraycopy(args, 0, command, 1, args.length);
    return new Cli(stage.env, Clock.systemUTC(), new SecureRandom()).run(command, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private void assertNoTokenPrinted() {
    String printed = out() + err.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains(stage.discordToken), "the Discord token was printed");
    assertFalse(printed.contains(stage.githubToken), "the GitHub token was printed");
  }

  @Test
  void aStageWiredRightExitsZeroWithOneLinePerCheck() {
    int code = doctor();

    assertEquals(0, code, out());
    List<String> lines = out().lines().toList();
    assertTrue(lines.contains("✅ Discord public key: DISCORD_PUBLIC_KEY is application " + WiredStage.APP + "'s public key"), out());
    assertTrue(lines.contains("⏭️ DynamoDB table: skipped: TRACE_TABLE_NAME not set (traces and alert deduplication stay in each "
        + "container's memory)"), out());
    assertTrue(lines.get(lines.size() - 1).startsWith("doctor: ") && lines.get(lines.size() - 1).endsWith("no check failed."), out());
    assertNoTokenPrinted();
  }

  @Test
  void aFailedCheckExitsOneAndPrintsItsFix() {
    stage.answer("GET", WiredStage.DISCORD + "/applications/@me", 200, "{\"id\":\"" + WiredStage.APP + "\",\"verify_key\":\""
        + "cd".repeat(32) + "\"}");

    int code = doctor();

    assertEquals(1, code);
    List<String> lines = out().lines().toList();
    int failed = lines.indexOf(lines.stream().filter(line -> line.startsWith("❌ Discord public key: ")).findFirst().orElseThrow());
    assertTrue(lines.get(failed + 1).startsWith("   fix: set DISCORD_PUBLIC_KEY=" + "cd".repeat(32)), out());
    assertNoTokenPrinted();
  }

  @Test
  void jsonListsEveryCheckWithItsStatusDetailAndFix() throws Exception {
    stage.answer("GET", WiredStage.REPO + "/actions/variables", 403, "{\"message\":\"Resource not accessible by personal access token\"}");

    int code = doctor("--json");

    assertEquals(1, code);
    JsonNode report = Jackson.parse(out());
    assertFalse(report.path("ok").asBoolean(true));
    assertEquals(1, report.path("counts").path("fail").asInt());
    Set<String> statuses = new HashSet<>();
    for (JsonNode check : report.path("checks")) {
      assertTrue(check.path("name").isTextual() && check.path("detail").isTextual(), check.toString());
      assertTrue(check.has("fix"), check.toString());
      statuses.add(check.path("status").asText());
    }
    assertTrue(Set.of("pass", "warn", "fail", "skip").containsAll(statuses), statuses.toString());
    JsonNode variables = null;
    for (JsonNode check : report.path("checks")) {
      if (check.path("name").asText().equals(GitHubChecks.VARIABLES)) {
        variables = check;
      }
    }
    assertEquals("fail", variables.path("status").asText());
    assertTrue(variables.path("fix").asText().contains("Variables"));
    assertNoTokenPrinted();
  }

  @Test
  void aTokenAnUpstreamEchoesBackIsMasked() {
    stage.answer("GET", WiredStage.DISCORD + "/users/@me", 403, "{\"message\":\"token " + stage.discordToken + " is banned\",\"code\":40002}");
    stage.answer("GET", WiredStage.REPO, 400, "{\"message\":\"bad token " + stage.githubToken + "\"}");

    int code = doctor();

    assertEquals(1, code);
    assertTrue(out().contains("***REDACTED***"), out());
    assertNoTokenPrinted();
  }

  @Test
  void aConfigurationTheFunctionWouldRefuseIsOneFailedCheck() {
    stage.env.put("STAGE", "production");

    int code = doctor();

    assertEquals(1, code);
    assertTrue(out().startsWith("❌ Configuration: STAGE must be one of dev, staging, prod, got 'production'"), out());
    assertNoTokenPrinted();
  }

  @Test
  void badFlagsExitTwo() {
    assertEquals(2, doctor("--verbose"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("doctor: unknown option --verbose"));
    assertEquals(2, doctor("--guild", "general"));
    assertEquals(2, doctor("extra"));
  }

  @Test
  void helpSaysWhatItChecksAndTheExitCodes() {
    assertEquals(0, doctor("--help"));
    assertTrue(out().startsWith("usage: doctor [--guild ID] [--json]"));
    assertTrue(out().contains("0 when no check failed, 1 when one did, 2 for a bad command line"));
  }
}
