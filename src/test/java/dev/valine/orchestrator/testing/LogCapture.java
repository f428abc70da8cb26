package dev.valine.orchestrator.testing;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.LoggingConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Points the real logging configuration (same encoder, same redaction) at a buffer for one test, then
 * restores it. Tests run one at a time in a JVM, so borrowing the global logger context is safe.
 */
public final class LogCapture implements AutoCloseable {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  public LogCapture(Map<String, String> env) {
    Map<String, String> settings = new HashMap<>(Map.of("ENABLE_JSON_LOGGING", "true", "LOG_LEVEL", "DEBUG", "STAGE", "dev"));
    settings.putAll(env);
    LoggingConfigurator.configure(context, settings, buffer);
  }

  public LogCapture() {
    this(Map.of());
  }

  public String text() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** Every captured line parsed as JSON; fails the test if any line is not one JSON object. */
  public List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = Jackson.parse(line);
        if (!node.isObject()) {
          throw new AssertionError("log line is not a JSON object: " + line);
        }
        lines.add(node);
      } catch (IOException e) {
        throw new UncheckedIOException("log line is not JSON: " + line, e);
      }
    }
    return lines;
  }

  @Override
  public void close() {
    LoggingConfigurator.configure(context, System.getenv(), System.out);
  }
}
