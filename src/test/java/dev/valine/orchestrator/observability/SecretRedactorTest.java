package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The redaction table. Every fake secret is assembled at run time from harmless parts, so no
 * token-shaped string is ever committed.
 */
class SecretRedactorTest {
  private static final String M = SecretRedactor.MASK;
  private final SecretRedactor redactor = new SecretRedactor();

  /** Deterministic filler of the given length from a mixed alphabet (upper, lower, digits). */
  static String fill(int length) {
    String alphabet = "FaKe0Tok3nPartsX9yZ";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(i % alphabet.length()));
    }
    return out.toString();
  }

  static String discordBotToken() {
    return "M" + fill(25) + "." + fill(6) + "." + fill(38);
  }

  static String githubToken(String prefix) {
    return prefix + fill(36);
  }

  static String awsKeyId() {
    return "AKIA" + "FAKE0000FAKE0000";
  }

  static String awsSecret() {
    return "wJalr" + "XUtnFEMI/K7MDENG/bPxRfiCY" + "FAKEKEY0ab";
  }

  static String jwt() {
    return "eyJ" + "hbGciOiJIUzI1NiJ9" + ".eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0" + "." + fill(43);
  }

  static Stream<Arguments> secrets() {
    String gh = githubToken("ghp_");
    return Stream.of(
        // key=value, key: value, JSON
        Arguments.of("token=abc123def", "token=" + M),
        Arguments.of("password=hunter2", "password=" + M),
        Arguments.of("db_password: s3cr3t!", "db_password: " + M),
        Arguments.of("\"token\": \"abc123\"", "\"token\": \"" + M + "\""),
        Arguments.of("{\"client_secret\":\"xyz789\"}", "{\"client_secret\":\"" + M + "\"}"),
        Arguments.of("GITHUB_TOKEN=" + gh, "GITHUB_TOKEN=" + M),
        Arguments.of("apiKey='k-123456'", "apiKey='" + M + "'"),
        Arguments.of("X-Api-Key: abcdef123456", "X-Api-Key: " + M),
        Arguments.of("secret = value123", "secret = " + M),
        Arguments.of("pwd=1234 user=bob", "pwd=" + M + " user=bob"),
        Arguments.of("session_id=abc123; path=/", "session_id=" + M + "; path=/"),
        Arguments.of("credentials: admin:pass", "credentials: " + M),
        Arguments.of("private_key=MIIEvQIBADANBg", "private_key=" + M),
        Arguments.of("aws_secret_access_key=" + awsSecret(), "aws_secret_access_key=" + M),
        Arguments.of("config {token=abc, retries=3}", "config {token=" + M + ", retries=3}"),
        Arguments.of("GET /cb?access_token=abc123&page=2", "GET /cb?access_token=" + M + "&page=2"),
        Arguments.of("https://api.example.com/cb?code=1&client_secret=zzz999", "https://api.example.com/cb?code=1&client_secret=" + M),
        Arguments.of("ALERT auth=xyz123", "ALERT auth=" + M),
        Arguments.of("refresh_token: 'r-777'", "refresh_token: '" + M + "'"),
        Arguments.of("Secret: S3cr3tValue", "Secret: " + M),
        Arguments.of("TOKEN=ABC", "TOKEN=" + M),
        Arguments.of("DISCORD_BOT_TOKEN=abc.def.ghi", "DISCORD_BOT_TOKEN=" + M),
        Arguments.of("clientSecret=\"q w e\" next", "clientSecret=\"" + M + "\" next"),
        Arguments.of("{\"secret\":\"a\\\"b\",\"n\":1}", "{\"secret\":\"" + M + "\",\"n\":1}"),
        Arguments.of("token=a1b2c3 and password=x9y8z7", "token=" + M + " and password=" + M),
        // Authorization and cookies: everything after the header name
        Arguments.of("Authorization: Bearer abc.def.ghi", "Authorization: " + M),
        Arguments.of("authorization=Basic dXNlcjpwYXNz", "authorization=" + M),
        Arguments.of("{\"Authorization\":\"Bot " + discordBotToken() + "\"}", "{\"Authorization\":\"" + M + "\"}"),
        Arguments.of("Proxy-Authorization: Negotiate YIIabc", "Proxy-Authorization: " + M),
        Arguments.of("headers={Authorization=Bearer xyz123456789, Accept=json}", "headers={Authorization=" + M + ", Accept=json}"),
        Arguments.of("Cookie: sid=abc; theme=dark", "Cookie: " + M),
        Arguments.of("Set-Cookie: session=xyz; HttpOnly", "Set-Cookie: " + M),
        // auth schemes without a header name
        Arguments.of("sending Bearer " + fill(30), "sending Bearer " + M),
        Arguments.of("Bot " + discordBotToken(), "Bot " + M),
        Arguments.of("using Basic dXNlcm5hbWU6cGFzc3dvcmQ=", "using Basic " + M),
        // URLs with user-info
        Arguments.of("https://user:" + "pa55@db.example.com/x", "https://" + M + "@db.example.com/x"),
        Arguments.of("postgres://admin:" + "hunter2@10.0.0.1:5432/app", "postgres://" + M + "@10.0.0.1:5432/app"),
        Arguments.of("git clone https://x-access-token:" + gh + "@github.com/o/r.git", "git clone https://" + M + "@github.com/o/r.git"),
        Arguments.of("redis://:p4ss@cache:6379", "redis://" + M + "@cache:6379"),
        // Discord
        Arguments.of("token is " + discordBotToken() + " oops", "token is " + M + " oops"),
        Arguments.of("https://discord.com/api/webhooks/123456789012345678/" + fill(68),
            "https://discord.com/api/webhooks/123456789012345678/" + M),
        Arguments.of("PATCH /webhooks/1200000000000000000/" + fill(90) + "/messages/@original",
            "PATCH /webhooks/1200000000000000000/" + M + "/messages/@original"),
        Arguments.of("https://canary.discord.com/api/v10/webhooks/1/abcDEF123456789_-xyz",
            "https://canary.discord.com/api/v10/webhooks/1/" + M),
        // GitHub
        Arguments.of(gh, "ghp_" + M),
        Arguments.of(githubToken("gho_"), "gho_" + M),
        Arguments.of(githubToken("ghu_"), "ghu_" + M),
        Arguments.of(githubToken("ghs_"), "ghs_" + M),
        Arguments.of(githubToken("ghr_"), "ghr_" + M),
        Arguments.of("github_pat_" + fill(22) + "_" + fill(59), "github_pat_" + M),
        Arguments.of("using " + gh + " for the call", "using ghp_" + M + " for the call"),
        // AWS
        Arguments.of("key id " + awsKeyId(), "key id AKIA" + M),
        Arguments.of("ASIA" + "FAKE1111FAKE1111" + " is temporary", "ASIA" + M + " is temporary"),
        Arguments.of("secret " + awsSecret() + " end", "secret " + M + " end"),
        Arguments.of("aws_access_key_id=" + awsKeyId(), "aws_access_key_id=AKIA" + M),
        // Slack
        Arguments.of("xoxb-" + "123456789012-" + fill(24), "xoxb-" + M),
        Arguments.of("token xoxp-" + "1234-5678-" + fill(20), "token xoxp-" + M),
        Arguments.of("https://hooks.slack.com/services/T000/B000/" + fill(24), "https://hooks.slack.com/services/" + M),
        // JWT
        Arguments.of("jwt " + jwt(), "jwt " + M),
        Arguments.of("id_token=" + jwt(), "id_token=" + M),
        // PEM private keys
        Arguments.of("-----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADAN\nBgkqhkiG9w0B\n-----END " + "PRIVATE KEY-----",
            "-----BEGIN " + "PRIVATE KEY-----" + M + "-----END " + "PRIVATE KEY-----"),
        Arguments.of("key: -----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA", "key: -----BEGIN RSA PRIVATE KEY-----" + M),
        Arguments.of("-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH " + "PRIVATE KEY----- done",
            "-----BEGIN OPENSSH " + "PRIVATE KEY-----" + M + "-----END OPENSSH " + "PRIVATE KEY----- done"));
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void redactsSecret(String input, String expected) {
    assertEquals(expected, redactor.redact(input));
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void redactionIsIdempotent(String input, String expected) {
    assertEquals(expected, redactor.redact(redactor.redact(input)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "token bucket refilled with 5 tokens",
      "passwordless login enabled for user 53908232506183680",
      "trace 6316161a-8d42-4ea8-baf6-e74a1dc9238e completed",
      "commit 0123456789abcdef0123456789abcdef01234567 deployed",
      "snowflake 1300000000000000001 in guild 290926798626357999",
      "see https://github.com/octo-org/deploy-service/actions/runs/9000000412",
      "POST https://discord.com/api/v10/channels/645027906669510667/messages",
      "command completed",
      "GitHub call failed for workflow deploy.yml: RATE_LIMITED 403",
      "token_count=42",
      "keyboard layout: us",
      "author: mason",
      "The bot is online",
      "Basic health check passed",
      "Bearer tokens are verified upstream",
      "dev.valine.orchestrator.command.CommandDispatcher",
      "x-ratelimit-remaining: 0",
      "email mason@example.com about it",
      "duration_ms=185 status=ok",
      "at 2026-11-28T05:29:06.090Z",
      "arn:aws:lambda:eu-west-1:000000000000:function:valine",
      "/repos/octo-org/deploy-service/actions/workflows/deploy.yml/runs?per_page=3",
      "monkey=banana",
      "public key: d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "AKIAshort is not a key id",
  })
  void leavesBenignTextAlone(String text) {
    assertSame(text, redactor.redact(text), "must come back unchanged, and without copying");
  }

  @ParameterizedTest
  @ValueSource(strings = {"token", "Token", "GITHUB_TOKEN", "access_token", "accessToken", "password", "db_passwd", "pwd",
      "secret", "clientSecret", "client_secret", "api_key", "apiKey", "x-api-key", "Authorization", "cookie", "Set-Cookie",
      "session", "sessionId", "credentials", "private_key", "aws_secret_access_key", "passphrase"})
  void recognisesSensitiveFieldNames(String name) {
    assertTrue(redactor.isSensitiveName(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"trace_id", "user_id", "command", "message", "passwordless", "token_count", "author", "monkey",
      "keyboard", "duration_ms", "status", "logger"})
  void leavesOrdinaryFieldNamesAlone(String name) {
    assertFalse(redactor.isSensitiveName(name), name);
  }

  @Test
  void tableHasAtLeastSixtySecretCases() {
    List<Arguments> cases = secrets().toList();

    assertTrue(cases.size() >= 60, "secret cases: " + cases.size());
  }

  /** A sensitive key whose value is not a plain string: the whole value goes, and JSON stays JSON. */
  @Nested
  class SensitiveKeyWithAnyValueType {
    static Stream<Arguments> jsonTexts() {
      return Stream.of(
          Arguments.of("{\"api_key\": 12345, \"n\": 1}", "{\"api_key\": \"" + M + "\", \"n\": 1}"),
          Arguments.of("{\"token\":-1.5e3}", "{\"token\":\"" + M + "\"}"),
          Arguments.of("{\"token\":null,\"n\":2}", "{\"token\":\"" + M + "\",\"n\":2}"),
          Arguments.of("{\"password\": true}", "{\"password\": \"" + M + "\"}"),
          Arguments.of("{\"credentials\": {\"user\": \"bob\", \"pass\": \"fake-pw\"}, \"ok\": true}",
              "{\"credentials\": \"" + M + "\", \"ok\": true}"),
          Arguments.of("{\"secrets\": [\"fake-1\", {\"b\": [\"fake-2\"]}], \"n\": 2}", "{\"secrets\": \"" + M + "\", \"n\": 2}"),
          Arguments.of("{\"run\": {\"id\": 7, \"client_secret\": {\"k\": [1, 2]}}, \"after\": \"x\"}",
              "{\"run\": {\"id\": 7, \"client_secret\": \"" + M + "\"}, \"after\": \"x\"}"),
          Arguments.of("{\"session\": {\"note\": \"a } and ] inside\", \"v\": \"fake-s\"}, \"n\": 3}",
              "{\"session\": \"" + M + "\", \"n\": 3}"),
          Arguments.of("[{\"token\": [] }, {\"token\": {}}]", "[{\"token\": \"" + M + "\" }, {\"token\": \"" + M + "\"}]"));
    }

    @ParameterizedTest
    @MethodSource("jsonTexts")
    void masksTheWholeValueAndKeepsTheJsonValid(String input, String expected) throws IOException {
      String redacted = redactor.redact(input);

      assertEquals(expected, redacted);
      assertEquals(Jackson.parse(expected), Jackson.parse(redacted), "still parses as JSON");
    }

    @Test
    void masksAJavaMapOrListWhole() {
      assertEquals("login credentials=" + M + " retries=3", redactor.redact("login credentials={user=bob, pass=fake-pw} retries=3"));
      assertEquals("tokens=" + M + ", n=2", redactor.redact("tokens=[fake-a, fake-b], n=2"));
    }

    @Test
    void masksJsonThatSitsInsideAJsonString() throws IOException {
      JsonNode line = Jackson.object().put("message", "body {\"token\": {\"a\": \"fake-t\"}, \"n\": 1}");

      String redacted = redactor.redact(Jackson.text(line));

      assertFalse(redacted.contains("fake-t"), redacted);
      assertEquals("body {\"token\": \"" + M + "\", \"n\": 1}", Jackson.parse(redacted).path("message").asText());
    }

    @Test
    void masksToTheEndOfACutValueRatherThanLeak() {
      assertEquals("{\"token\": \"" + M + "\"", redactor.redact("{\"token\": {\"a\": \"fake-cut"));
    }
  }

  /**
   * Sensitive words anywhere in a key, not only at its end; counters and look-alike words stay. The exact
   * line is documented on {@link SensitiveName} and in docs/observability.md.
   */
  @Nested
  class SensitiveWordAnywhereInTheKey {
    @ParameterizedTest
    @ValueSource(strings = {"secret_key", "SECRET_KEY", "secretKey", "signing_key", "signingKey", "ssh_key", "client_key",
        "password_hash", "passwordHash", "apikey", "x-app-key", "encryption_key", "tokens", "password2", "oauth2Token",
        "session_id", "secret_key_base", "private_keys"})
    void recognisesTheName(String name) {
      assertTrue(redactor.isSensitiveName(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_count", "tokenCount", "keyboard", "keyboard_layout", "monkey", "passwordless", "author",
        "token_expiry", "token_type", "password_length", "secret_name", "public_key", "primary_key", "idempotency_key",
        "aws_access_key_id", "kms_key_id", "key", "access", "cookie_name"})
    void leavesTheNameAlone(String name) {
      assertFalse(redactor.isSensitiveName(name), name);
    }

    static Stream<Arguments> texts() {
      return Stream.of(
          Arguments.of("secret_key=fake-sk1", "secret_key=" + M),
          Arguments.of("export SECRET_KEY=fake-sk2", "export SECRET_KEY=" + M),
          Arguments.of("signing_key: fake-sig", "signing_key: " + M),
          Arguments.of("ssh_key=fake-ssh client_key=fake-ck", "ssh_key=" + M + " client_key=" + M),
          Arguments.of("{\"password_hash\":\"fake-hash\"}", "{\"password_hash\":\"" + M + "\"}"),
          Arguments.of("--password=fake-pw --verbose", "--password=" + M + " --verbose"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void masksTheValue(String input, String expected) {
      assertEquals(expected, redactor.redact(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_count=3", "keyboard=qwerty", "token_expiry=2026-11-28T06:00:00Z", "tokenCount: 12",
        "\tat dev.valine.orchestrator.observability.SecretRedactor.redact(SecretRedactor.java:123)",
        "public_key=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "kms_key_id=alias/bot"})
    void leavesTheValue(String text) {
      assertSame(text, redactor.redact(text));
    }
  }

  /** Name/value pairs, as Discord options are often logged: the value of a sensitively named option goes. */
  @Nested
  class NameValuePairs {
    static Stream<Arguments> pairs() {
      return Stream.of(
          Arguments.of("options [{name=password, value=fake-pw}]", "options [{name=password, value=" + M + "}]"),
          Arguments.of("{\"name\":\"api_token\",\"value\":\"fake-at\"}", "{\"name\":\"api_token\",\"value\":\"" + M + "\"}"),
          Arguments.of("{\"name\": \"api_token\", \"type\": 3, \"value\": \"fake-at\"}",
              "{\"name\": \"api_token\", \"type\": 3, \"value\": \"" + M + "\"}"),
          Arguments.of("CommandOption[name=secret_key, type=3, value=fake-sk, options=[]]",
              "CommandOption[name=secret_key, type=3, value=" + M + ", options=[]]"),
          Arguments.of("{\"name\":\"pin_secret\",\"value\":1234}", "{\"name\":\"pin_secret\",\"value\":\"" + M + "\"}"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void masksTheValueOfASensitiveName(String input, String expected) {
      assertEquals(expected, redactor.redact(input));
      assertEquals(expected, redactor.redact(expected), "idempotent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{name=workflow, value=deploy.yml}", "{\"name\":\"token_count\",\"value\":3}",
        "{\"name\":\"ref\",\"type\":3,\"value\":\"main\"}"})
    void leavesOtherPairsAlone(String text) {
      assertSame(text, redactor.redact(text));
    }
  }

  /** Short texts are redacted too: a secret can be one character long. */
  @Nested
  class ShortLines {
    static Stream<Arguments> shortSecrets() {
      return Stream.of(
          Arguments.of("token=a", "token=" + M),
          Arguments.of("pwd=abc", "pwd=" + M),
          Arguments.of("pwd=a", "pwd=" + M),
          Arguments.of("auth=x", "auth=" + M),
          Arguments.of("{\"pwd\":1}", "{\"pwd\":\"" + M + "\"}"));
    }

    @ParameterizedTest
    @MethodSource("shortSecrets")
    void masksShortSecrets(String input, String expected) {
      assertEquals(expected, redactor.redact(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ok", "a=b", "id=7", "key: fake"})
    void leavesShortOrdinaryTextAlone(String text) {
      assertSame(text, redactor.redact(text));
    }
  }
}
