package dev.valine.orchestrator.doctor;

import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlRefusedException;
import okhttp3.HttpUrl;

/**
 * A deploy target checked by the rules every URL the bot hands on or fetches passes: the text, then every
 * address its host resolves to. Nothing is fetched. A refused URL is not echoed: it may hold credentials.
 */
final class TargetCheck {
  private final SafeHttp urls;

  TargetCheck(SafeHttp urls) {
    this.urls = urls;
  }

  /**
   * @param name the line's name
   * @param source where the URL was read, e.g. "API_BASE_URL" or "repository variable VITE_API_BASE"
   */
  Check check(String name, String source, String url) {
    try {
      HttpUrl checked = urls.checkTarget(url);
      // Scheme, host, port and path only: a query may carry a key, and doctor's output lands in terminals and CI logs.
      HttpUrl shown = checked.newBuilder().query(null).fragment(null).build();
      return Check.pass(name, source + " " + shown + (checked.query() != null ? " (query not shown)" : "")
          + " passes the URL rules (scheme, host, resolved addresses)");
    } catch (UrlRefusedException e) {
      return Check.fail(name, source + " is refused by the URL rules: " + e.getMessage(), "point " + source
          + " at a public https host (and, when ALLOWED_TARGET_DOMAINS is set, one it lists)");
    }
  }
}
