package dev.valine.orchestrator.digest;

import java.time.Duration;

/** How the digest writes durations, ages and names from configuration into Discord markdown. */
final class Formats {
  private Formats() {}

  /** "45s", "3m 05s", "1h 02m". */
  static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3_600) {
      return seconds / 60 + "m " + twoDigits(seconds % 60) + "s";
    }
    return seconds / 3_600 + "h " + twoDigits((seconds % 3_600) / 60) + "m";
  }

  /** "just now", "12 min ago", "5 h ago", "3 days ago". */
  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 60) {
      return "just now";
    }
    if (seconds < 3_600) {
      return seconds / 60 + " min ago";
    }
    if (seconds < 48 * 3_600) {
      return seconds / 3_600 + " h ago";
    }
    return seconds / 86_400 + " days ago";
  }

  private static String twoDigits(long value) {
    return value < 10 ? "0" + value : Long.toString(value);
  }

  /**
   * At most {@code max} characters: the head and the tail around an ellipsis when cut, so that names which share a
   * long prefix ({@code e2e-suite-frontend-1.yml}, {@code e2e-suite-frontend-2.yml}) stay apart. Never splits a
   * surrogate pair. Cut before escaping, so that no escape is left dangling.
   */
  static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int head = (max - 1) / 2;
    int tailStart = text.length() - (max - 1 - head);
    if (Character.isHighSurrogate(text.charAt(head - 1))) {
      head--;
    }
    if (Character.isLowSurrogate(text.charAt(tailStart))) {
      tailStart++;
    }
    return text.substring(0, head) + "…" + text.substring(tailStart);
  }

  /** Escapes Discord markdown so that a name cannot restyle the message or fake a link in it. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("\\*_~`|[]()<>#-".indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
