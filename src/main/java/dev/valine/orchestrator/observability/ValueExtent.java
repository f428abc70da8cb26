package dev.valine.orchestrator.observability;

import java.util.Locale;
import java.util.Set;

/**
 * Where a value written after a key ({@code key=value}, {@code "key": value}) ends in free text, whatever
 * its shape: a JSON string with escapes, a string inside JSON that is itself inside a JSON string
 * ({@code \"...\"}), a single-quoted string, an object or array (JSON or Java's {@code {a=b, c=[d]}}), or a
 * bare word. Knowing the whole value is what lets a sensitive key's value be masked whole, so that no
 * nested part leaks and a JSON text stays JSON. Stateless.
 */
final class ValueExtent {
  // Authentication schemes that come before the credential itself, as in "Bearer abc" or "Bot abc".
  private static final Set<String> SCHEMES = Set.of("bearer", "basic", "bot", "digest", "negotiate", "ntlm", "token");

  private ValueExtent() {}

  /**
   * @param text the text
   * @param start where the value begins (just after the separator and its spaces)
   * @param wholeHeader whether a bare value runs to the end of a header ({@code Cookie: a=1; b=2}),
   *     spaces included, rather than to the first space
   * @return the index just past the value; {@code start} when there is none; the end of the text when a
   *     string, object or array is never closed (a cut line masks to its end rather than leak)
   */
  static int end(String text, int start, boolean wholeHeader) {
    if (start >= text.length()) {
      return start;
    }
    char first = text.charAt(start);
    if (first == '"') {
      return jsonStringEnd(text, start);
    }
    if (first == '\\' && start + 1 < text.length() && text.charAt(start + 1) == '"') {
      return escapedStringEnd(text, start);
    }
    if (first == '\'') {
      int close = text.indexOf('\'', start + 1);
      return close < 0 ? text.length() : close + 1;
    }
    if (first == '{' || first == '[') {
      return nestedEnd(text, start);
    }
    return wholeHeader ? headerEnd(text, start) : bareEnd(text, start);
  }

  private static int jsonStringEnd(String text, int start) {
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      // A backslash escapes the next character, a quote included.
      i += c == '\\' ? 2 : 1;
    }
    return text.length();
  }

  /**
   * A string of JSON text that sits inside a JSON string, so its quotes read {@code \"}: it ends at a quote
   * behind one backslash (or 5, 9…), while {@code \\\"} is a quote escaped inside it.
   */
  private static int escapedStringEnd(String text, int start) {
    int i = start + 2;
    while (i < text.length()) {
      if (text.charAt(i) != '\\') {
        i++;
        continue;
      }
      int run = i;
      while (run < text.length() && text.charAt(run) == '\\') {
        run++;
      }
      if (run < text.length() && text.charAt(run) == '"' && (run - i) % 4 == 1) {
        return run + 1;
      }
      i = run + 1;
    }
    return text.length();
  }

  /** An object or array: brackets counted, brackets inside JSON strings ignored. */
  private static int nestedEnd(String text, int start) {
    int depth = 0;
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
        i = jsonStringEnd(text, i);
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return text.length();
  }

  /** A bare word, and the credential after it when the word is an authentication scheme. */
  private static int bareEnd(String text, int start) {
    int end = wordEnd(text, start);
    if (end < text.length() && Character.isWhitespace(text.charAt(end))
        && SCHEMES.contains(text.substring(start, end).toLowerCase(Locale.ROOT))) {
      int credential = end;
      while (credential < text.length() && Character.isWhitespace(text.charAt(credential))) {
        credential++;
      }
      int credentialEnd = wordEnd(text, credential);
      return credentialEnd > credential ? credentialEnd : end;
    }
    return end;
  }

  private static int wordEnd(String text, int start) {
    int i = start;
    while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && ",;&\"'}])".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    return i;
  }

  private static int headerEnd(String text, int start) {
    int i = start;
    while (i < text.length() && "\",}]\r\n".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    // Trailing spaces belong to the text around the value, not to the value.
    while (i > start && text.charAt(i - 1) == ' ') {
      i--;
    }
    return i;
  }
}
