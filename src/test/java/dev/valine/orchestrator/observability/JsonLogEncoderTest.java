package dev.valine.orchestrator.observability;

import static dev.valine.orchestrator.observability.LogField.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ThrowableProxy;
import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.testing.LogCapture;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log line's shape beyond redaction: timestamps, typed values, exceptions. */
class JsonLogEncoderTest {
  private static final Logger log = LoggerFactory.getLogger(JsonLogEncoderTest.class);
  private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesTimestampsInUtcWithMilliseconds() {
    JsonLogEncoder encoder = new JsonLogEncoder("dev", new SecretRedactor());
    Random random = new Random(7);

    assertEquals("1970-01-01T00:00:00.000Z", encoder.timestamp(0));
    assertEquals("2026-11-28T23:59:59.999Z", encoder.timestamp(Instant.parse("2026-11-28T23:59:59.999Z").toEpochMilli()));
    assertEquals("2026-11-29T00:00:00.007Z", encoder.timestamp(Instant.parse("2026-11-29T00:00:00.007Z").toEpochMilli()));
    for (int i = 0; i < 1_000; i++) {
      long millis = Math.floorMod(random.nextLong(), 4_102_444_800_000L);
      assertEquals(ISO_MILLIS.format(Instant.ofEpochMilli(millis)), encoder.timestamp(millis));
    }
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
  void writesAnExceptionWithItsCausesAndBoundedFrames() {
    RuntimeException error = new RuntimeException("outer", new IllegalStateException("inner"));
    error.setStackTrace(frames(100));

    String stack = JsonLogEncoder.stack(new ThrowableProxy(error));

    assertTrue(stack.startsWith("java.lang.RuntimeException: outer\n\tat demo.Frame.call0(Frame.java:1)"), stack);
    assertTrue(stack.contains("\n\t... 60 more"), stack);
    assertEquals(JsonLogEncoder.MAX_FRAMES_PER_THROWABLE, stack.lines().filter(l -> l.startsWith("\tat demo.Frame")).count());
    assertTrue(stack.contains("\nCaused by: java.lang.IllegalStateException: inner"), stack);
  }

  @Test
  void putsTheExceptionUnderError() {
    try (LogCapture logs = new LogCapture()) {
      log.error("failed", new IllegalStateException("no runs"));

      JsonNode error = logs.lines().get(0).path("error");
      assertEquals("java.lang.IllegalStateException", error.path("type").asText());
      assertEquals("no runs", error.path("message").asText());
      assertTrue(error.path("stack").asText().startsWith("java.lang.IllegalStateException: no runs\n\tat "), error.toString());
    }
  }

  private static StackTraceElement[] frames(int count) {
    StackTraceElement[] frames = new StackTraceElement[count];
    for (int i = 0; i < count; i++) {
      frames[i] = new StackTraceElement("demo.Frame", "call" + i, "Frame.java", i + 1);
    }
    return frames;
  }
}
