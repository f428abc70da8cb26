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
import org.junit.jupiter.api.Nested;
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
  void masksTheValueOfASensitiveNameValuePairInAJsonTree() {
    com.fasterxml.jackson.databind.node.ObjectNode option = dev.valine.orchestrator.json.Jackson.object()
        .put("name", "api_token").put("type", 3).put("value", "fake-node-value");
    com.fasterxml.jackson.databind.node.ArrayNode options = dev.valine.orchestrator.json.Jackson.array();
    options.addObject().put("name", "password").put("value", "fake-array-value");
    try (LogCapture logs = new LogCapture()) {
      log.info("options", kv("option", option), kv("options", options));

      JsonNode line = logs.lines().get(0);
      assertEquals(SecretRedactor.MASK, line.path("option").path("value").asText(), line.toString());
      assertEquals(SecretRedactor.MASK, line.path("options").get(0).path("value").asText(), line.toString());
      assertFalse(logs.text().contains("fake-node-value") || logs.text().contains("fake-array-value"), logs.text());
    }
  }

  /** No field name is trusted: a caller may write a field named like one of ours, with anything in it. */
  @ParameterizedTest
  @ValueSource(strings = {"status", "trace_id", "user_id", "correlation_id", "logger", "thread", "duration_ms"})
  void redactsAFieldNamedLikeOneOfOurOwn(String field) {
    String secret = "fake-" + field + "-secret";
    try (LogCapture logs = new LogCapture()) {
      log.info("call", kv(field, "token=" + secret));

      assertFalse(logs.text().contains(secret), logs.text());
      assertTrue(logs.text().contains("token=" + SecretRedactor.MASK), logs.text());
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

  /** A sensitive field holding a number, null, an object or an array: one valid JSON line, the value masked whole. */
  @Nested
  class SensitiveFieldOfAnyType {
    @Test
    void masksANumber() {
      try (LogCapture logs = new LogCapture()) {
        log.info("call", kv("api_key", 12345));

        JsonNode line = logs.lines().get(0);
        assertEquals(SecretRedactor.MASK, line.path("api_key").asText());
        assertFalse(logs.text().contains("12345"), logs.text());
      }
    }

    @Test
    void masksNullAndAnArray() {
      try (LogCapture logs = new LogCapture()) {
        log.info("call", kv("token", null), kv("secrets", List.of("fake-a", Map.of("k", "fake-b"))), kv("after", 1));

        JsonNode line = logs.lines().get(0);
        assertEquals(SecretRedactor.MASK, line.path("token").asText());
        assertEquals(SecretRedactor.MASK, line.path("secrets").asText());
        assertEquals(1, line.path("after").asInt(), "the field after a masked one is written as usual");
        assertFalse(logs.text().contains("fake-"), logs.text());
      }
    }

    @Test
    void masksAnObjectWholeAndKeepsTheFieldsAfterIt() {
      try (LogCapture logs = new LogCapture()) {
        log.info("call {}", kv("credentials", Map.of("user", "bob", "pass", "fake-pw", "nested", Map.of("k", List.of("fake-n")))),
            kv("attempt", 2));

        JsonNode line = logs.lines().get(0);
        assertEquals(SecretRedactor.MASK, line.path("credentials").asText());
        assertEquals("call credentials=" + SecretRedactor.MASK, line.path("message").asText());
        assertEquals(2, line.path("attempt").asInt());
        assertFalse(logs.text().contains("fake-"), logs.text());
      }
    }

    @Test
    void masksASensitiveFieldInsideAnOrdinaryOne() {
      try (LogCapture logs = new LogCapture()) {
        log.info("run", kv("run", Map.of("id", 42, "client_secret", Map.of("v", "fake-cs"))));

        JsonNode run = logs.lines().get(0).path("run");
        assertEquals(42, run.path("id").asInt());
        assertEquals(SecretRedactor.MASK, run.path("client_secret").asText());
      }
    }

    @Test
    void masksAJsonMessageWithNonStringValues() throws Exception {
      try (LogCapture logs = new LogCapture()) {
        log.info("{\"api_key\": 12345, \"token\": null, \"credentials\": {\"pass\": \"fake-pw\"}, \"n\": 1}");

        JsonNode message = dev.valine.orchestrator.json.Jackson.parse(logs.lines().get(0).path("message").asText());
        assertEquals(SecretRedactor.MASK, message.path("api_key").asText());
        assertEquals(SecretRedactor.MASK, message.path("token").asText());
        assertEquals(SecretRedactor.MASK, message.path("credentials").asText());
        assertEquals(1, message.path("n").asInt());
      }
    }
  }

  /** Sensitive words anywhere in a key name, in every position a key can reach a line. */
  @Nested
  class SensitiveWordAnywhereInTheKey {
    @ParameterizedTest
    @ValueSource(strings = {"secret_key", "SECRET_KEY", "signing_key", "ssh_key", "client_key", "password_hash"})
    void masksTheValue(String key) {
      try (LogCapture logs = new LogCapture()) {
        log.info("config " + key + "=fake-in-message");
        log.info("field", kv(key, "fake-in-field"));
        log.atInfo().addKeyValue(key, "fake-in-pair").log("pair");
        MDC.put(key, "fake-in-mdc");
        try {
          log.info("mdc");
        } finally {
          MDC.remove(key);
        }

        List<JsonNode> lines = logs.lines();
        assertEquals("config " + key + "=" + SecretRedactor.MASK, lines.get(0).path("message").asText());
        for (JsonNode line : lines.subList(1, 4)) {
          assertEquals(SecretRedactor.MASK, line.path(key).asText(), line.toString());
        }
        assertFalse(logs.text().contains("fake-"), logs.text());
      }
    }

    @Test
    void leavesCountersAndLookAlikesAlone() {
      try (LogCapture logs = new LogCapture()) {
        log.info("used token_count=3 keyboard=qwerty", kv("token_count", 3), kv("keyboard", "qwerty"), kv("token_expiry", "2026-11-28"));

        JsonNode line = logs.lines().get(0);
        assertEquals("used token_count=3 keyboard=qwerty", line.path("message").asText());
        assertEquals(3, line.path("token_count").asInt());
        assertEquals("qwerty", line.path("keyboard").asText());
        assertEquals("2026-11-28", line.path("token_expiry").asText());
      }
    }
  }

  /** Name/value pairs, as Discord options are logged: as text in the message, and as structured values. */
  @Nested
  class NameValuePairs {
    /** The shape of a Discord option as the bot parses it. */
    record Option(String name, int type, Object value) {}

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"api_token\",\"value\":\"fake-v\"}", "{name=password, value=fake-v}",
        "options=[Option[name=secret_key, type=3, value=fake-v]]"})
    void masksThePairInTheMessage(String text) {
      try (LogCapture logs = new LogCapture()) {
        log.info("options {}", text);

        String message = logs.lines().get(0).path("message").asText();
        assertFalse(message.contains("fake-v"), message);
        assertTrue(message.contains(SecretRedactor.MASK), message);
      }
    }

    @Test
    void masksThePairInAStructuredValue() {
      try (LogCapture logs = new LogCapture()) {
        log.info("options", kv("options", List.of(Map.of("name", "password", "value", "fake-map"),
            new Option("api_token", 3, "fake-record"), new Option("ref", 3, "main"))));

        JsonNode options = logs.lines().get(0).path("options");
        assertEquals(SecretRedactor.MASK, options.get(0).path("value").asText());
        assertEquals(SecretRedactor.MASK, options.get(1).path("value").asText());
        assertEquals("main", options.get(2).path("value").asText(), "an option with an ordinary name stays");
        assertFalse(logs.text().contains("fake-"), logs.text());
      }
    }
  }

  /** Short lines are redacted like long ones. */
  @Nested
  class ShortLines {
    @ParameterizedTest
    @ValueSource(strings = {"token=a", "pwd=abc"})
    void masksAShortMessage(String text) {
      try (LogCapture logs = new LogCapture()) {
        log.info(text);

        String key = text.substring(0, text.indexOf('='));
        assertEquals(key + "=" + SecretRedactor.MASK, logs.lines().get(0).path("message").asText());
      }
    }
  }

  /** The readable format (ENABLE_JSON_LOGGING=false) gets the same redaction. */
  @Nested
  class ReadableFormat {
    @Test
    void masksTheNewShapesToo() {
      try (LogCapture logs = new LogCapture(Map.of("ENABLE_JSON_LOGGING", "false"))) {
        log.info("secret_key=fake-1 {name=password, value=fake-2} pwd=a {\"api_key\": 12345}");

        String text = logs.text();
        assertFalse(text.contains("fake-") || text.contains("12345") || text.contains("pwd=a"), text);
        assertTrue(text.contains("secret_key=" + SecretRedactor.MASK), text);
      }
    }
  }

  private static RuntimeException deep(int depth) {
    return depth == 0 ? new RuntimeException("bottom") : deepCall(depth);
  }

  private static RuntimeException deepCall(int depth) {
    return deep(depth - 1);
  }
}
