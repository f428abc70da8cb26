package dev.valine.orchestrator.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({"0, just now", "59, just now", "60, 1 min ago", "3599, 59 min ago", "3600, 1 h ago",
      "172799, 47 h ago", "172800, 2 days ago"})
  void describesAgeRelatively(long seconds, String expected) {
    assertEquals(expected, DurationText.ago(Duration.ofSeconds(seconds)));
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "45, 45s", "60, 1m 00s", "185, 3m 05s", "3599, 59m 59s", "3600, 1h 00m", "3720, 1h 02m", "90061, 25h 01m"})
  void formatsDuration(long seconds, String expected) {
    assertEquals(expected, DurationText.of(Duration.ofSeconds(seconds)));
  }
}
