package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FingerprintTest {
  @Test
  void isTheFirstEightHexDigitsOfTheSha256() {
    // FIPS 180-2, appendix B.1: SHA-256("abc") = ba7816bf 8f01cfea ...
    assertEquals("ba7816bf", Fingerprint.of("abc"));
  }

  @Test
  void tellsValuesApartThatLookAlikeWhenShown() {
    assertNotEquals(Fingerprint.of("https://app.example.com/?key=a"), Fingerprint.of("https://app.example.com/?key=b"));
  }

  @Test
  void showsSchemeHostPortAndPathOnly() {
    TargetValue value = new TargetValue("https://" + "user" + ":" + "fake-pass" + "@App.Example.com:8443/v1/api?key=fake-key#top");

    assertEquals("https://app.example.com:8443/v1/api?…", value.shown());
    assertEquals("app.example.com", value.host());
    assertFalse(value.toString().contains("fake-"), value.toString());
    assertTrue(value.toString().contains(value.fingerprint()), value.toString());
  }

  @Test
  void showsAValueThatIsNoUrlAsSuch() {
    TargetValue value = new TargetValue("set by hand: fake-secret");

    assertEquals("(not a URL)", value.shown());
    assertEquals("`(not a URL)` (fingerprint `" + Fingerprint.of("set by hand: fake-secret") + "`)", value.described());
  }

  @Test
  void cutsALongPath() {
    TargetValue value = new TargetValue("https://app.example.com/" + "a".repeat(300));

    assertEquals(120, value.shown().length());
    assertTrue(value.shown().endsWith("…"));
  }
}
