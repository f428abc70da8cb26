package dev.valine.orchestrator.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets each alert fingerprint through at most once per window and counts what it holds back, so that
 * the first alert after a window can say how many similar ones were suppressed. Thread-safe; time comes
 * from the injected clock. Memory is bounded: windows that ended with nothing suppressed are dropped
 * first, and past {@code maxFingerprints} the oldest go (their count is logged by the caller as lost).
 */
public final class AlertDeduplicator implements Deduplicator {
  /**
   * @param send whether to post this alert
   * @param suppressedBefore how many alerts of this fingerprint were held back in the window before it
   */
  public record Decision(boolean send, int suppressedBefore) {}

  private static final class Window {
    final Instant start;
    int suppressed;

    Window(Instant start) {
      this.start = start;
    }
  }

  private final Clock clock;
  private final Duration window;
  private final int maxFingerprints;
  // Insertion order = window start order, since every window has the same length: the head expires first.
  private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

  public AlertDeduplicator(Clock clock, Duration window, int maxFingerprints) {
    this.clock = clock;
    this.window = window;
    this.maxFingerprints = maxFingerprints;
  }

  @Override
  public synchronized Decision decide(String fingerprint) {
    Instant now = clock.instant();
    Window current = windows.get(fingerprint);
    if (current != null && now.isBefore(current.start.plus(window))) {
      current.suppressed++;
      return new Decision(false, current.suppressed);
    }
    int carried = current == null ? 0 : current.suppressed;
    windows.remove(fingerprint);
    windows.put(fingerprint, new Window(now));
    evict(now);
    return new Decision(true, carried);
  }

  /** How many alerts of this fingerprint are being held back in its current window. */
  public synchronized int suppressedNow(String fingerprint) {
    Window current = windows.get(fingerprint);
    return current == null ? 0 : current.suppressed;
  }

  synchronized int size() {
    return windows.size();
  }

  private void evict(Instant now) {
    Iterator<Map.Entry<String, Window>> oldest = windows.entrySet().iterator();
    while (oldest.hasNext() && windows.size() > 1) {
      Window candidate = oldest.next().getValue();
      boolean expired = !now.isBefore(candidate.start.plus(window));
      // An expired window with suppressed alerts is kept so the next alert can report them, unless memory is full.
      if ((expired && candidate.suppressed == 0) || windows.size() > maxFingerprints) {
        oldest.remove();
      } else if (!expired) {
        break;
      }
    }
  }
}
