package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.EmfFormat;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EMF lines a container writes on stdout as requests go through the real handler. */
class MetricsEndToEndTest {
  private final Signer signer = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final MockWebServer github = new MockWebServer();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private InteractionHandler handler;

  @BeforeEach
  void start() throws IOException {
    github.start();
    originalOut = System.out;
    // The app writes metrics to the stdout it finds when it is built, as in Lambda.
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    handler = new InteractionHandler(TestApps.app(signer, Map.of("ENABLE_METRICS", "true", "STAGE", "staging",
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service", "STATUS_WORKFLOWS", "deploy.yml")));
  }

  @AfterEach
  void stop() {
    System.setOut(originalOut);
    github.close();
  }

  private void invoke(byte[] event) throws IOException {
    handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), new FakeLambdaContext());
  }

  private List<JsonNode> metricLines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{\"_aws\"")) {
        lines.add(Jackson.parse(line));
      }
    }
    return lines;
  }

  private static JsonNode withMetric(List<JsonNode> lines, String metric) {
    return lines.stream().filter(line -> line.has(metric)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " line in " + lines));
  }

  @Test
  void countsColdStartRejectionsAndCommands() throws Exception {
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(5, "completed", "success", Instant.now(), Duration.ofSeconds(42))));
    byte[] ping = Jackson.bytes(interactions.ping());
    ObjectNode forged = signer.httpApiEvent(ping, false);
    ((ObjectNode) forged.get("headers")).put("x-signature-ed25519", "00".repeat(64));

    invoke(Jackson.bytes(signer.httpApiEvent(ping, false)));
    invoke(Jackson.bytes(forged));
    invoke(Jackson.bytes(signer.httpApiEvent(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), false)));

    List<JsonNode> lines = metricLines();
    lines.forEach(line -> assertEquals(List.of(), EmfFormat.problems(line), line.toString()));
    assertEquals(1, lines.stream().filter(line -> line.has("ColdStarts")).count(), "one cold start per container");
    assertEquals("bad_signature", withMetric(lines, "SignatureRejections").path("Reason").asText());
    JsonNode command = withMetric(lines, "Commands");
    assertEquals("status", command.path("Command").asText());
    assertEquals("ok", command.path("Outcome").asText());
    assertEquals("staging", command.path("Stage").asText());
    assertTrue(command.path("CommandDuration").isIntegralNumber());
    // The figure Discord holds to 3 s; its value is measured, so only its form is asserted.
    assertTrue(withMetric(lines, "ReplyLatency").path("ReplyLatency").isIntegralNumber());
  }
}
