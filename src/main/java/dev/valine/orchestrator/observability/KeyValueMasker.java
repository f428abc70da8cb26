package dev.valine.orchestrator.observability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks, in free text, the whole value that a sensitive key names ({@link SensitiveName}): {@code key=value},
 * {@code key: value}, {@code "key": value} in JSON (value a string, number, {@code null}, object or array),
 * and name/value pairs as Discord options are often logged ({@code {name=password, value=...}},
 * {@code {"name":"api_token","type":3,"value":"..."}}). The key, its quotes and the separator stay; a value
 * in JSON becomes the string {@code "***REDACTED***"}, so the text stays valid JSON. Stateless.
 */
final class KeyValueMasker {
  // A key that starts a word, then its separator: token=, "token": , 'token': , \"token\": (JSON inside a JSON string).
  private static final Pattern KEY = Pattern.compile(
      "(?<![A-Za-z0-9_.\\-])(\\\\?[\"']|)([A-Za-z0-9_.\\-]*[A-Za-z0-9])\\1(\\s*[:=]\\s*)");
  private static final int KEY_QUOTE = 1;
  private static final int KEY_NAME = 2;
  private static final int KEY_SEPARATOR = 3;

  // name=<key> then value=<secret> in the same object, with at most four simple pairs between them ("type":3).
  private static final Pattern NAME_VALUE = Pattern.compile(
      "(?i)(?<![A-Za-z0-9_])(\\\\?[\"']|)name\\1\\s*[:=]\\s*(\\\\?[\"']|)([A-Za-z0-9_.\\-]+)\\2"
          + "(?:\\s*,\\s*(?:\\\\?[\"']|)[A-Za-z0-9_]+(?:\\\\?[\"']|)\\s*[:=]\\s*[^,{}\\[\\]]{0,64}?){0,4}?"
          + "\\s*,\\s*(\\\\?[\"']|)value\\4(\\s*[:=]\\s*)");
  private static final int PAIR_NAME = 3;
  private static final int PAIR_QUOTE = 4;
  private static final int PAIR_SEPARATOR = 5;

  private KeyValueMasker() {}

  /** {@code key=value} and its quoted and JSON forms; the same instance when nothing is masked. */
  static String maskKeyValues(String text) {
    return mask(text, KEY.matcher(text), KEY_NAME, KEY_QUOTE, KEY_SEPARATOR, true);
  }

  /** Name/value pairs whose name is sensitive; the same instance when nothing is masked. */
  static String maskNameValuePairs(String text) {
    return mask(text, NAME_VALUE.matcher(text), PAIR_NAME, PAIR_QUOTE, PAIR_SEPARATOR, false);
  }

  private static String mask(String text, Matcher key, int nameGroup, int quoteGroup, int separatorGroup, boolean headers) {
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (from < text.length() && key.find(from)) {
      String name = key.group(nameGroup);
      int valueStart = key.end();
      from = valueStart;
      if (isSourceFile(name) || !SensitiveName.isSensitive(name)) {
        // Keep looking inside the value: config={token=abc} names a secret one level down.
        continue;
      }
      int valueEnd = ValueExtent.end(text, valueStart, headers && SensitiveName.isCredentialHeader(name));
      from = Math.max(valueEnd, valueStart + 1);
      String masked = masked(text.substring(valueStart, valueEnd), key.group(quoteGroup), key.group(separatorGroup));
      if (masked != null) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16);
        }
        out.append(text, copied, valueStart).append(masked);
        copied = valueEnd;
      }
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** A stack frame's file and line ({@code SecretRedactor.java:42}): a line number, not a secret. */
  private static boolean isSourceFile(String name) {
    return name.endsWith(".java") || name.endsWith(".kt");
  }

  /**
   * The mask in the value's place, quoted like the value was; in JSON ({@code "key": value}) always a
   * JSON string, whatever the value's type. Null when there is nothing to mask or it is masked already.
   */
  private static String masked(String value, String keyQuote, String separator) {
    if (value.isEmpty()) {
      return null;
    }
    String quote;
    if (keyQuote.endsWith("\"") && separator.indexOf(':') >= 0) {
      quote = keyQuote;
    } else if (value.startsWith("\\\"")) {
      quote = "\\\"";
    } else if (value.startsWith("\"") || value.startsWith("'")) {
      quote = value.substring(0, 1);
    } else {
      quote = "";
    }
    String masked = quote + SecretRedactor.MASK + quote;
    return masked.equals(value) ? null : masked;
  }
}
