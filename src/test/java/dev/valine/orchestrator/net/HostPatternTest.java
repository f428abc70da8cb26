package dev.valine.orchestrator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPatternTest {

  @Test
  void exactHostMatchesOnlyItself() {
    HostPattern pattern = HostPattern.parse("app.example.com");

    assertTrue(pattern.matches("app.example.com"));
    assertFalse(pattern.matches("example.com"));
    assertFalse(pattern.matches("x.app.example.com"));
    assertFalse(pattern.matches("app.example.com.evil.org"));
  }

  @Test
  void wildcardMatchesSubdomainsAtAnyDepthButNotTheDomainItself() {
    HostPattern pattern = HostPattern.parse("*.example.com");

    assertTrue(pattern.matches("app.example.com"));
    assertTrue(pattern.matches("a.b.example.com"));
    assertFalse(pattern.matches("example.com"));
  }

  @Test
  void wildcardIsNotASuffixMatch() {
    HostPattern pattern = HostPattern.parse("*.example.com");

    assertFalse(pattern.matches("evilexample.com"));
    assertFalse(pattern.matches("example.com.evil.org"));
    assertFalse(pattern.matches("app.example.com.evil.org"));
  }

  @Test
  void normalisesCaseTrailingDotAndInternationalNames() {
    assertEquals(new HostPattern("app.example.com", false), HostPattern.parse(" App.Example.COM. "));
    assertEquals(new HostPattern("xn--bcher-kva.example", true), HostPattern.parse("*.bücher.example"));
    assertEquals("*.xn--bcher-kva.example", HostPattern.parse("*.BÜCHER.example").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "*", "*.", "https://example.com", "example.com:443", "example.com/path", "user@example.com",
      "a*.example.com", "*example.com", "example.*", "exa mple.com", "exa%6dple.com", "a..b.com", "[::1]"})
  void refusesWhatIsNotAHostOrWildcard(String text) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(text));

    assertTrue(error.getMessage().contains("'" + text.trim() + "'"), error.getMessage());
  }

  @Test
  void aPatternBuiltByHandMustBeCanonical() {
    assertThrows(IllegalArgumentException.class, () -> new HostPattern("Example.com", false));
    assertThrows(IllegalArgumentException.class, () -> new HostPattern("example.com.", true));
    assertThrows(IllegalArgumentException.class, () -> new HostPattern("bücher.example", false));
  }
}
