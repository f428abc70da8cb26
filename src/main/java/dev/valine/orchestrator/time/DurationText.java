package dev.valine.orchestrator.time;

import java.time.Duration;

/** Durations as the bot writes them for people: {@code 3m 05s}, {@code 12 min ago}. */
public final class DurationText {
  private DurationText() {}

  /** "45s", "3m 05s", "1h 02m"; a negative duration reads as 0s. */
  public static String of(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    // Not String.format: its first use initialises the locale data providers, a cost of a cold first command
    // (bench/first-use.sh).
    if (seconds < 3_600) {
      return seconds / 60 + "m " + twoDigits(seconds % 60) + "s";
    }
    return seconds / 3_600 + "h " + twoDigits((seconds % 3_600) / 60) + "m";
  }

  /** "just now", "12 min ago", "5 h ago", "3 days ago". */
  public static String ago(Duration age) {
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
}
