package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class StaleDeployRiskTest {
  private static Optional<String> risk(String cacheControl) {
    Headers.Builder headers = new Headers.Builder().add("Content-Type", "text/html; charset=utf-8");
    if (cacheControl != null) {
      headers.add("Cache-Control", cacheControl);
    }
    return StaleDeployRisk.of("/index.html", headers.build());
  }

  @Test
  void flagsAnEntryPageCachedForAnHour() {
    String warning = risk("public, max-age=3600").orElseThrow();

    assertTrue(warning.contains("`Cache-Control: public, max-age=3600`"), warning);
    assertTrue(warning.contains("old deploy"), warning);
    assertTrue(warning.contains("no-cache"), "says the fix: " + warning);
  }

  @Test
  void acceptsTheHeadersThatRevalidate() {
    assertEquals(Optional.empty(), risk("no-cache"));
    assertEquals(Optional.empty(), risk("no-store"));
    assertEquals(Optional.empty(), risk("public, max-age=0, must-revalidate"));
    assertEquals(Optional.empty(), risk("max-age=0"));
    assertEquals(Optional.empty(), risk("No-Cache"));
  }

  @Test
  void mustRevalidateAloneDoesNotRevalidateAFreshPage() {
    assertTrue(risk("must-revalidate").isPresent());
    assertTrue(risk("max-age=600, must-revalidate").isPresent());
  }

  @Test
  void flagsAPageThatACdnMayKeep() {
    String warning = risk("max-age=0, s-maxage=86400").orElseThrow();

    assertTrue(warning.contains("a CDN"), warning);
  }

  @Test
  void flagsAnEntryPageWithoutCacheControl() {
    assertTrue(risk(null).orElseThrow().contains("has no `Cache-Control`"));
  }

  @Test
  void looksAtHtmlOnly() {
    Headers json = Headers.of("Content-Type", "application/json", "Cache-Control", "max-age=3600");

    assertEquals(Optional.empty(), StaleDeployRisk.of("/", json));
    assertEquals(Optional.empty(), StaleDeployRisk.of("/", Headers.of("Cache-Control", "max-age=3600")));
  }

  @Test
  void entryPagesAreTheRootsAndIndexHtml() {
    assertTrue(StaleDeployRisk.isEntryPage("/"));
    assertTrue(StaleDeployRisk.isEntryPage("/app/"));
    assertTrue(StaleDeployRisk.isEntryPage("/Index.HTML"));
    assertFalse(StaleDeployRisk.isEntryPage("/health"));
    assertFalse(StaleDeployRisk.isEntryPage("/assets/app.js"));
  }
}
