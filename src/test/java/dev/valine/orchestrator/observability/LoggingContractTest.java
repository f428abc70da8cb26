package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The log line contract of design §7, checked on lines written by the real encoder. */
class LoggingContractTest {
  private static final Pattern ISO_UTC_MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final String XRAY_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  private final Signer discord = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final InteractionHandler handler = new InteractionHandler(TestApps.app(discord, Map.of("STAGE", "staging")));

  private void invoke(byte[] interaction, FakeLambdaContext context) throws Exception {
    handler.handleRequest(new ByteArrayInputStream(Jackson.bytes(discord.httpApiEvent(interaction, false))),
        new ByteArrayOutputStream(), context);
  }

  private static List<JsonNode> closingLines(List<JsonNode> lines) {
    return lines.stream().filter(line -> line.path("message").asText().equals("command completed")).toList();
  }

  @Test
  void everyLineCarriesTheBaseFields() throws Exception {
    try (LogCapture logs = new LogCapture(Map.of("STAGE", "staging"))) {
      invoke(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), new FakeLambdaContext());

      List<JsonNode> lines = logs.lines();
      assertFalse(lines.isEmpty());
      for (JsonNode line : lines) {
        assertTrue(ISO_UTC_MILLIS.matcher(line.path("timestamp").asText()).matches(), line.toString());
        assertTrue(List.of("INFO", "WARN", "ERROR", "DEBUG").contains(line.path("level").asText()), line.toString());
        assertEquals("valine-orchestrator", line.path("service").asText());
        assertEquals("staging", line.path("stage").asText());
        assertTrue(line.path("logger").isTextual() && line.path("message").isTextual(), line.toString());
      }
    }
  }

  @Test
  void commandLinesCarryCommandAndLambdaContext() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      byte[] command = Jackson.bytes(interactions.command("status", Optional.empty(), Map.of()));
      invoke(command, new FakeLambdaContext("req-1", XRAY_HEADER));

      JsonNode closing = closingLines(logs.lines()).get(0);
      assertEquals("1-5759e988-bd862e3fe1be46a994272793", closing.path("trace_id").asText(), "the X-Ray root is the trace id");
      assertEquals(Jackson.parse(command).path("id").asText(), closing.path("correlation_id").asText());
      assertEquals("100000000000000004", closing.path("user_id").asText());
      assertEquals("status", closing.path("command").asText());
      assertEquals("valine-orchestrator-test", closing.path("function_name").asText());
      assertEquals("$LATEST", closing.path("function_version").asText());
      assertEquals("req-1", closing.path("aws_request_id").asText());
      assertEquals("1-5759e988-bd862e3fe1be46a994272793", closing.path("xray_trace_id").asText());
      assertTrue(closing.path("cold_start").isBoolean(), closing.toString());
      assertTrue(closing.path("duration_ms").isIntegralNumber(), closing.toString());
      assertTrue(closing.path("status").isTextual(), closing.toString());
    }
  }

  @Test
  void onlyTheFirstInvocationIsAColdStart() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      invoke(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), new FakeLambdaContext("req-1", null));
      invoke(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), new FakeLambdaContext("req-2", null));

      List<JsonNode> closing = closingLines(logs.lines());
      assertTrue(closing.get(0).path("cold_start").booleanValue());
      assertFalse(closing.get(1).path("cold_start").booleanValue());
    }
  }

  @Test
  void nothingLeaksIntoTheNextInvocation() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      invoke(Jackson.bytes(interactions.command("status", Optional.empty(), Map.of())), new FakeLambdaContext("req-1", XRAY_HEADER));
      int firstInvocationLines = logs.lines().size();
      // A second invocation with no X-Ray header and no command: a signed body that is not an interaction.
      invoke("{\"hello\":true}".getBytes(), new FakeLambdaContext("req-2", null));
      LoggerFactory.getLogger("after").info("outside any invocation");

      List<JsonNode> second = logs.lines().subList(firstInvocationLines, logs.lines().size());
      assertEquals(2, second.size(), second.toString());
      for (JsonNode line : second) {
        for (String field : List.of("trace_id", "correlation_id", "user_id", "command", "xray_trace_id")) {
          assertTrue(line.path(field).isMissingNode(), field + " leaked into " + line);
        }
      }
      assertEquals("req-2", second.get(0).path("aws_request_id").asText());
      assertTrue(second.get(1).path("aws_request_id").isMissingNode(), "Lambda fields cleared after the invocation");
    }
  }

  @Test
  void readableModeWritesOneRedactedLinePerEvent() {
    try (LogCapture logs = new LogCapture(Map.of("ENABLE_JSON_LOGGING", "false"))) {
      LoggerFactory.getLogger("plain").info("calling with token={}", "abc123secret");

      String text = logs.text();
      assertEquals(1, text.lines().count(), text);
      assertTrue(text.contains("INFO  plain"), text);
      assertTrue(text.contains("token=***REDACTED***"), text);
      assertFalse(text.contains("abc123secret"), text);
    }
  }

  @Test
  void logLevelFiltersLines() {
    try (LogCapture logs = new LogCapture(Map.of("LOG_LEVEL", "WARN"))) {
      LoggerFactory.getLogger("levels").info("hidden");
      LoggerFactory.getLogger("levels").warn("shown");

      assertEquals(1, logs.lines().size());
      assertEquals("shown", logs.lines().get(0).path("message").asText());
    }
  }

  @Test
  void badLogLevelFallsBackToInfoWithAWarning() {
    try (LogCapture logs = new LogCapture(Map.of("LOG_LEVEL", "LOUD"))) {
      LoggerFactory.getLogger("levels").debug("hidden");
      LoggerFactory.getLogger("levels").info("shown");

      List<JsonNode> lines = logs.lines();
      assertEquals(2, lines.size(), lines.toString());
      assertTrue(lines.get(0).path("message").asText().contains("LOG_LEVEL 'LOUD'"));
      assertEquals("shown", lines.get(1).path("message").asText());
    }
  }
}
