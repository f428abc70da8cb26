package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerScannerTest {
  private final TriggerScanner scanner = new TriggerScanner(List.of("token", "key", "passw", "://", "@", "ok"));

  @Test
  void findsEveryTriggerIgnoringCase() {
    // "TOKEN" also contains the trigger "ok".
    assertEquals(0b100111, scanner.scan("API_KEY passwd TOKEN"));
    assertEquals(0b011000, scanner.scan("https://user@host"));
  }

  @Test
  void findsOverlappingAndSuffixTriggers() {
    // "tok" fails to become "token" but its suffix must still be followed; "ok" hides inside "token".
    assertEquals(0b100001, scanner.scan("toktoken"));
    assertEquals(0b100000, scanner.scan("book"));
  }

  @Test
  void findsNothingInOrdinaryText() {
    assertEquals(0, scanner.scan("command completed in 12 ms for user 53908232506183680"));
  }

  @Test
  void restartsAfterNonAsciiCharacters() {
    assertEquals(0b100001, scanner.scan("😀token"));
    assertEquals(0, scanner.scan("to😀ken"));
  }

  @Test
  void rejectsTriggersItCannotMatch() {
    assertThrows(IllegalArgumentException.class, () -> new TriggerScanner(List.of("Token")));
  }
}
