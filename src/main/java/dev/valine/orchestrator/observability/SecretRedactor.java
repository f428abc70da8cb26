package dev.valine.orchestrator.observability;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text with {@value #MASK}, keeping the key or prefix that identified them
 * ({@code token=***REDACTED***}, {@code Authorization: ***REDACTED***}, {@code ghp_***REDACTED***},
 * {@code https://***REDACTED***@host}). Thread-safe and stateless.
 *
 * <p>It runs on every value of every log line, so it is built to cost almost nothing for the common
 * line that holds no secret: one pass of a {@link TriggerScanner} finds which trigger words occur,
 * without allocating, and only the rules whose trigger is present run their regular expressions.
 *
 * <p>Which key names are sensitive is {@link SensitiveName}'s decision, and {@link KeyValueMasker} masks
 * their values in text, whole, whatever their JSON type.
 *
 * <p>To add a shape: add a {@link Rule} to {@link #RULES} with the trigger word (add it to
 * {@code TRIGGERS}) that every match must contain, and add cases to {@code SecretRedactorTest} (both a
 * secret and a look-alike that must stay).
 */
public final class SecretRedactor {
  /** The one mask used everywhere: logs, traces, replies, alerts. */
  public static final String MASK = "***REDACTED***";

  // Every word some rule needs to see before its pattern can match; one scan finds them all.
  private static final List<String> TRIGGERS = List.of("private key-----", "cookie", "://", "@", "/webhooks/",
      "hooks.slack.com", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "akia", "asia", "eyj", "bearer", "bot ",
      "basic ", "token", "secret", "passw", "pwd", "passphrase", "key", "auth", "credential", "session", "name", "value");
  private static final TriggerScanner SCANNER = new TriggerScanner(TRIGGERS);
  // Every sensitive name contains one of these (SensitiveName's words); a text without them has no key to mask.
  private static final long NAME_TRIGGERS = bits("token", "secret", "passw", "pwd", "passphrase", "key", "auth", "cookie",
      "session", "credential");
  private static final long NAME_VALUE = bits("name", "value");
  // The shortest Discord bot token is 24 + 1 + 6 + 1 + 27 characters; an AWS secret key is 40.
  private static final int DISCORD_TOKEN_MIN = 59;
  private static final int AWS_SECRET_LENGTH = 40;

  /** One shape of secret: when the facts say it may be present, rewrite the text (the same instance when none is). */
  private record Rule(Predicate<Facts> applies, UnaryOperator<String> rewrite) {}

  /** A rule that replaces every match of a pattern. */
  private static Rule rule(Predicate<Facts> applies, Pattern pattern, Function<Matcher, String> replacement) {
    return new Rule(applies, text -> {
      Matcher matcher = pattern.matcher(text);
      if (!matcher.find()) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length());
      do {
        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
      } while (matcher.find());
      matcher.appendTail(out);
      return out.toString();
    });
  }

  /**
   * What one cheap pass over the text found; rules run only when their trigger is present.
   *
   * @param triggers bit i set when {@code TRIGGERS.get(i)} occurs
   * @param tokenRun a run of base64url characters and dots long enough to be a Discord bot token
   * @param base64Run a run of base64 characters long enough to be an AWS secret key
   */
  private record Facts(long triggers, boolean tokenRun, boolean base64Run) {
    boolean has(long mask) {
      return (triggers & mask) != 0;
    }

    boolean hasAll(long mask) {
      return (triggers & mask) == mask;
    }

    boolean nothing() {
      return triggers == 0 && !tokenRun && !base64Run;
    }
  }

  /** A rule trigger: any of these words occurs. The mask is computed once, not per line. */
  private static Predicate<Facts> anyOf(String... words) {
    long mask = bits(words);
    return facts -> facts.has(mask);
  }

  /** A rule trigger: all of these words occur. */
  private static Predicate<Facts> allOf(String... words) {
    long mask = bits(words);
    return facts -> facts.hasAll(mask);
  }

  private static long bits(String... words) {
    long mask = 0;
    for (String word : words) {
      int index = TRIGGERS.indexOf(word);
      if (index < 0) {
        throw new IllegalStateException("not a trigger: " + word);
      }
      mask |= 1L << index;
    }
    return mask;
  }

  private static final List<Rule> RULES = List.of(
      // PEM private keys, possibly spanning lines: keep the armour, drop the body.
      rule(anyOf("private key-----"),
          Pattern.compile("(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"),
          m -> m.group(1) + MASK + m.group(2)),
      // user:password@ in any URL.
      rule(allOf("://", "@"),
          Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/\\s@\"']+)@"),
          m -> m.group(1) + MASK + "@"),
      // Discord webhook and interaction-token URLs: /webhooks/{id}/{token}. Keep the id.
      rule(anyOf("/webhooks/"),
          Pattern.compile("(/webhooks/\\d+/)([A-Za-z0-9_.-]{16,})"),
          m -> m.group(1) + MASK),
      // Slack incoming webhooks.
      rule(anyOf("hooks.slack.com"),
          Pattern.compile("(?i)(https://hooks\\.slack\\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+"),
          m -> m.group(1) + MASK),
      // GitHub tokens: classic and fine-grained.
      rule(anyOf("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
          Pattern.compile("\\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,255}\\b"),
          m -> m.group(1) + MASK),
      // Slack tokens.
      rule(anyOf("xox"),
          Pattern.compile("\\b(xox[abposr]-)[A-Za-z0-9-]{10,}"),
          m -> m.group(1) + MASK),
      // AWS access key ids.
      rule(anyOf("akia", "asia"),
          Pattern.compile("\\b((?:AKIA|ASIA|ABIA|ACCA))[A-Z0-9]{16}\\b"),
          m -> m.group(1) + MASK),
      // JWTs (header.payload.signature, both first parts base64url JSON).
      rule(anyOf("eyj"),
          Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{10,}"),
          m -> MASK),
      // Discord bot tokens: base64(user id) . timestamp . hmac.
      rule(Facts::tokenRun,
          Pattern.compile("\\b[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}\\b"),
          m -> MASK),
      // A sensitive key's whole value (key=value, "key": {...}, Authorization: Bearer ..., Cookie: a=1; b=2).
      // After the URL rule, which keeps the host of https://user:token@host.
      new Rule(facts -> facts.has(NAME_TRIGGERS), KeyValueMasker::maskKeyValues),
      // The value of a name/value pair whose name is sensitive: {name=password, value=...}.
      new Rule(facts -> facts.has(NAME_TRIGGERS) && facts.hasAll(NAME_VALUE), KeyValueMasker::maskNameValuePairs),
      // Credentials after an auth scheme, without a header name in front.
      rule(anyOf("bearer", "bot ", "basic "),
          Pattern.compile("(?i)\\b(Bearer|Bot|Basic)(\\s+)([A-Za-z0-9._~+/-]{16,}=*)"),
          m -> m.group(1) + m.group(2) + MASK),
      // AWS secret access keys: 40 base64 characters, mixed case. Git SHAs are lower-case hex and stay.
      rule(Facts::base64Run,
          Pattern.compile("(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])"
              + "(?=[A-Za-z0-9/+]{0,39}[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
          m -> MASK));

  /** The text with every secret it recognises masked; the same instance when there is none. */
  public String redact(String text) {
    // No minimum length: "pwd=a" is a secret too.
    if (text == null || text.isEmpty()) {
      return text;
    }
    Facts facts = facts(text);
    if (facts.nothing()) {
      return text;
    }
    String result = text;
    for (Rule rule : RULES) {
      if (rule.applies().test(facts)) {
        result = rule.rewrite().apply(result);
      }
    }
    return result;
  }

  /**
   * Whether a field, header, parameter or key with this name holds a secret and must be masked whole,
   * case-insensitively: {@code token}, {@code GITHUB_TOKEN}, {@code clientSecret}, {@code X-Api-Key},
   * {@code secret_key}, {@code password_hash}… but not {@code token_count} or {@code keyboard}. The exact
   * line is {@link SensitiveName}'s.
   */
  public boolean isSensitiveName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    // Not cached here: the log encoder's masker caches one policy per field name.
    return (SCANNER.scan(name) & NAME_TRIGGERS) != 0 && SensitiveName.isSensitive(name);
  }

  private static Facts facts(String text) {
    int tokenRun = 0;
    int base64Run = 0;
    boolean longToken = false;
    boolean longBase64 = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      tokenRun = alphanumeric || c == '_' || c == '-' || c == '.' ? tokenRun + 1 : 0;
      base64Run = alphanumeric || c == '+' || c == '/' ? base64Run + 1 : 0;
      longToken |= tokenRun >= DISCORD_TOKEN_MIN;
      longBase64 |= base64Run >= AWS_SECRET_LENGTH;
    }
    return new Facts(SCANNER.scan(text), longToken, longBase64);
  }
}
