package dev.valine.orchestrator.observability;

import static dev.valine.orchestrator.observability.LogField.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log line's shape beyond redaction: field names, timestamps, typed values, exceptions. */
class JsonLogEncoderTest {
  private static final Logger log = LoggerFactory.getLogger(JsonLogEncoderTest.class);
  private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final LoggerContext context = new LoggerContext();
  private final Encoder<ILoggingEvent> encoder = LoggingConfigurator.jsonEncoder(context, "dev", true);

  private JsonNode encode(long epochMillis) throws IOException {
    LoggingEvent event = new LoggingEvent("test", context.getLogger("demo"), Level.INFO, "at a known time", null, null);
    event.setTimeStamp(epochMillis);
    event.setMDCPropertyMap(Map.of());
    byte[] line = encoder.encode(event);
    assertEquals('\n', line[line.length - 1], "one line per event");
    return Jackson.parse(new String(line, StandardCharsets.UTF_8));
  }

  @Test
  void writesTimestampsInUtcWithMilliseconds() throws IOException {
    Random random = new Random(7);

    assertEquals("1970-01-01T00:00:00.000Z", encode(0).path("timestamp").asText());
    assertEquals("2026-11-28T23:59:59.999Z", encode(Instant.parse("2026-11-28T23:59:59.999Z").toEpochMilli()).path("timestamp").asText());
    assertEquals("2026-11-29T00:00:00.007Z", encode(Instant.parse("2026-11-29T00:00:00.007Z").toEpochMilli()).path("timestamp").asText());
    for (int i = 0; i < 1_000; i++) {
      long millis = Math.floorMod(random.nextLong(), 4_102_444_800_000L);
      assertEquals(ISO_MILLIS.format(Instant.ofEpochMilli(millis)), encode(millis).path("timestamp").asText());
    }
  }

  @Test
  void writesTheDesignFieldNamesAndNoLogstashDefaults() throws IOException {
    JsonNode line = encode(0);

    List<String> names = fieldNames(line);
    assertEquals(List.of("timestamp", "level", "logger", "thread", "message", "service", "stage"), names);
    assertEquals("valine-orchestrator", line.path("service").asText());
    assertEquals("dev", line.path("stage").asText());
    assertEquals("demo", line.path("logger").asText());
  }

  @Test
  void writesFieldValuesAsTheirJsonTypes() {
    try (LogCapture logs = new LogCapture()) {
      log.info("typed {}", kv("count", 3), kv("ratio", 0.5), kv("deferred", true), kv("nothing", null),
          kv("workflows", List.of("deploy.yml", "release.yml")), kv("run", Map.of("id", 42, "status", "completed")));

      JsonNode line = logs.lines().get(0);
      assertEquals("typed count=3", line.path("message").asText(), "only arguments with a {} appear in the message");
      assertTrue(line.path("count").isIntegralNumber() && line.path("count").asInt() == 3, line.toString());
      assertEquals(0.5, line.path("ratio").asDouble());
      assertTrue(line.path("deferred").isBoolean() && line.path("deferred").asBoolean(), line.toString());
      assertTrue(line.path("nothing").isNull(), line.toString());
      assertEquals("release.yml", line.path("workflows").get(1).asText());
      assertEquals(42, line.path("run").path("id").asInt());
    }
  }

  @Test
  void writesKeyValuePairsAsTopLevelFields() {
    try (LogCapture logs = new LogCapture()) {
      log.atInfo().addKeyValue("attempt", 2).addKeyValue("workflow", "deploy.yml").log("retrying");

      JsonNode line = logs.lines().get(0);
      assertEquals(2, line.path("attempt").asInt());
      assertEquals("deploy.yml", line.path("workflow").asText());
    }
  }

  @Test
  void writesAnExceptionWithItsCausesAndBoundedFrames() {
    RuntimeException error = new RuntimeException("outer", new IllegalStateException("inner"));
    error.setStackTrace(frames(100));
    try (LogCapture logs = new LogCapture()) {
      log.error("failed", error);

      String stack = logs.lines().get(0).path("error").path("stack").asText();
      assertTrue(stack.startsWith("java.lang.RuntimeException: outer\n\tat demo.Frame.call0(Frame.java:1)"), stack);
      assertTrue(stack.contains("\n\t... 60 frames truncated"), stack);
      assertEquals(JsonLogEncoder.MAX_FRAMES_PER_THROWABLE, stack.lines().filter(l -> l.startsWith("\tat demo.Frame")).count());
      assertTrue(stack.contains("\nCaused by: java.lang.IllegalStateException: inner"), stack);
    }
  }

  @Test
  void putsTheExceptionUnderError() {
    try (LogCapture logs = new LogCapture()) {
      log.error("failed", new IllegalStateException("no runs"));
      log.info("fine again");

      JsonNode error = logs.lines().get(0).path("error");
      assertEquals("java.lang.IllegalStateException", error.path("type").asText());
      assertEquals("no runs", error.path("message").asText());
      assertTrue(error.path("stack").asText().startsWith("java.lang.IllegalStateException: no runs\n\tat "), error.toString());
      assertFalse(logs.lines().get(1).has("error"), "no error object without an exception");
    }
  }

  private static List<String> fieldNames(JsonNode line) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = line.fieldNames(); it.hasNext();) {
      names.add(it.next());
    }
    return names;
  }

  private static StackTraceElement[] frames(int count) {
    StackTraceElement[] frames = new StackTraceElement[count];
    for (int i = 0; i < count; i++) {
      frames[i] = new StackTraceElement("demo.Frame", "call" + i, "Frame.java", i + 1);
    }
    return frames;
  }
}
