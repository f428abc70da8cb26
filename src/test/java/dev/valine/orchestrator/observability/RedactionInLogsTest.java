package dev.valine.orchestrator.observability;

import static dev.valine.orchestrator.observability.LogField.kv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.testing.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * No code path can print a secret: each shape of secret, in each place a log line can carry text,
 * goes through the real encoder and must come out masked.
 */
class RedactionInLogsTest {
  private static final Logger log = LoggerFactory.getLogger(RedactionInLogsTest.class);

  /** A text holding a secret, and the part of it that must never appear in the output. */
  private record Sample(String shape, String text, String secret) {}

  private static List<Sample> samples() {
    String gh = SecretRedactorTest.githubToken("ghp_");
    String discordToken = SecretRedactorTest.discordBotToken();
    String webhookToken = SecretRedactorTest.fill(68);
    return List.of(
        new Sample("key=value", "token=abc123def456", "abc123def456"),
        new Sample("json", "{\"password\": \"s3cr3t-pw\"}", "s3cr3t-pw"),
        new Sample("authorization header", "Authorization: Bearer abcdefghijklmnop123", "abcdefghijklmnop123"),
        new Sample("github token", "using " + gh, gh.substring(4)),
        new Sample("discord bot token", "bot token " + discordToken, discordToken),
        new Sample("discord webhook", "https://discord.com/api/webhooks/123456789012345678/" + webhookToken, webhookToken),
        new Sample("aws key id", "key " + SecretRedactorTest.awsKeyId(), SecretRedactorTest.awsKeyId().substring(4)),
        new Sample("slack token", "xoxb-123456789012-" + SecretRedactorTest.fill(24), SecretRedactorTest.fill(24)),
        new Sample("jwt", "jwt " + SecretRedactorTest.jwt(), SecretRedactorTest.jwt()),
        new Sample("url user-info", "postgres://admin:hunter2pw@db/app", "hunter2pw"),
        new Sample("pem", "-----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADANBgkqhki\n-----END " + "PRIVATE KEY-----", "MIIEvQIBADANBgkqhki"));
  }

  private static final Map<String, BiConsumer<Logger, String>> POSITIONS = Map.of(
      "message", (logger, text) -> logger.info("connecting " + text),
      "argument", (logger, text) -> logger.info("connecting {}", text),
      "mdc", (logger, text) -> {
        MDC.put("detail", text);
        try {
          logger.info("with context");
        } finally {
          MDC.remove("detail");
        }
      },
      "structured argument", (logger, text) -> logger.info("call", kv("detail", text)),
      "key-value pair", (logger, text) -> logger.atInfo().addKeyValue("detail", text).log("with a pair"),
      "exception message", (logger, text) -> logger.error("failed", new IllegalStateException(text)),
      "nested cause", (logger, text) -> logger.error("failed", new RuntimeException("outer", new IllegalStateException(text))));

  static Stream<Arguments> cases() {
    return samples().stream().flatMap(sample -> POSITIONS.keySet().stream().sorted()
        .map(position -> Arguments.of(sample.shape(), position, sample)));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("cases")
  void masksSecretInEveryPosition(String shape, String position, Sample sample) {
    try (LogCapture logs = new LogCapture()) {
      POSITIONS.get(position).accept(log, sample.text());

      String output = logs.text();
      assertFalse(output.contains(sample.secret()), "secret printed:\n" + output);
      assertTrue(output.contains(SecretRedactor.MASK), "no mask in:\n" + output);
      assertEquals(1, logs.lines().size(), "still one JSON line");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"token", "password", "client_secret", "Authorization", "apiKey", "cookie"})
  void masksWholeValueOfSensitivelyNamedField(String field) {
    try (LogCapture logs = new LogCapture()) {
      log.info("call", kv(field, "plainvalue"));
      MDC.put(field, "plainvalue");
      try {
        log.info("mdc");
      } finally {
        MDC.remove(field);
      }

      List<JsonNode> lines = logs.lines();
      assertEquals(SecretRedactor.MASK, lines.get(0).path(field).asText());
      assertEquals(SecretRedactor.MASK, lines.get(1).path(field).asText());
      assertFalse(logs.text().contains("plainvalue"));
    }
  }

  @Test
  void masksSensitiveFieldHoldingAnObject() {
    try (LogCapture logs = new LogCapture()) {
      log.info("call", kv("credentials", Map.of("user", "bob", "pass", "hunter2pw")));

      assertFalse(logs.text().contains("hunter2pw"), logs.text());
    }
  }

  @Test
  void boundsTheStackOfADeepException() {
    try (LogCapture logs = new LogCapture()) {
      log.error("deep", deep(500));

      String stack = logs.lines().get(0).path("error").path("stack").asText();
      assertTrue(stack.length() <= JsonLogEncoder.MAX_STACK_CHARS + 100, "stack of " + stack.length() + " chars");
    }
  }

  @Test
  void leavesOrdinaryLinesAlone() {
    try (LogCapture logs = new LogCapture()) {
      log.info("GitHub call failed for workflow {}: {} {}", "deploy.yml", "RATE_LIMITED", 403);

      assertEquals("GitHub call failed for workflow deploy.yml: RATE_LIMITED 403", logs.lines().get(0).path("message").asText());
    }
  }

  private static RuntimeException deep(int depth) {
    return depth == 0 ? new RuntimeException("bottom") : deepCall(depth);
  }

  private static RuntimeException deepCall(int depth) {
    return deep(depth - 1);
  }
}
