package dev.valine.orchestrator.digest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The stretch of time a digest sums up: the last 24 hours or the last 7 days, ending now. */
public enum DigestPeriod {
  DAILY("daily", "Daily", Duration.ofDays(1)),
  WEEKLY("weekly", "Weekly", Duration.ofDays(7));

  private final String id;
  private final String title;
  private final Duration length;

  DigestPeriod(String id, String title, Duration length) {
    this.id = id;
    this.title = title;
    this.length = length;
  }

  /** The value of the command's {@code period} option. */
  public String id() {
    return id;
  }

  String title() {
    return title;
  }

  /** The period named {@code id} ({@code daily}, {@code weekly}), or empty. */
  public static Optional<DigestPeriod> of(String id) {
    return Arrays.stream(values()).filter(period -> period.id.equals(id)).findFirst();
  }

  static List<String> ids() {
    return Arrays.stream(values()).map(DigestPeriod::id).toList();
  }

  /**
   * The window ending at {@code now}, in whole seconds: GitHub's {@code created} filter takes whole seconds, so the
   * window asked for is exactly the window shown.
   */
  Window window(Instant now) {
    Instant to = now.truncatedTo(ChronoUnit.SECONDS);
    return new Window(to.minus(length), to);
  }

  /** {@code [from, to)}. */
  record Window(Instant from, Instant to) {}
}
