package dev.valine.orchestrator.ops;

import java.util.Locale;
import java.util.Optional;
import okhttp3.CacheControl;
import okhttp3.Headers;

/**
 * Spots the classic cause of "the deploy worked but users still see the old site": the HTML entry page
 * ({@code /}, {@code .../}, {@code index.html}) served with a {@code Cache-Control} that lets browsers or a CDN
 * reuse it without asking the origin. The hashed bundles it names may be cached forever; the page itself must be
 * revalidated, or it keeps pointing at the old bundles (https://web.dev/articles/http-cache).
 *
 * <p>It revalidates with {@code no-cache} or {@code no-store}, or with {@code max-age=0} when no {@code s-maxage}
 * lets a shared cache keep it longer. {@code must-revalidate} alone does not count: it only takes effect once the
 * response is stale, and without a max-age that happens after a heuristic lifetime (RFC 9111 section 4.2.2), as
 * with no {@code Cache-Control} at all.
 */
final class StaleDeployRisk {
  private StaleDeployRisk() {}

  /** Whether the path names an entry page. */
  static boolean isEntryPage(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.endsWith("/") || lower.endsWith("/index.html");
  }

  /**
   * The warning for a 2xx HTML response to an entry page, or empty when it revalidates (or is not HTML).
   *
   * @param path the path as configured, for the message
   */
  static Optional<String> of(String path, Headers headers) {
    String type = headers.get("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
      return Optional.empty();
    }
    String header = headers.get("Cache-Control");
    if (header == null) {
      return Optional.of("`" + path + "` has no `Cache-Control`: browsers may cache it by heuristics and keep loading the old "
          + "deploy. Serve it with `Cache-Control: no-cache`.");
    }
    // OkHttp's parser, the one its own cache obeys; it reads every Cache-Control line.
    CacheControl cache = CacheControl.parse(headers);
    boolean sharedKeeps = cache.sMaxAgeSeconds() > 0;
    if (cache.noCache() || cache.noStore() || (cache.maxAgeSeconds() == 0 && !sharedKeeps)) {
      return Optional.empty();
    }
    return Optional.of("`" + path + "` is served with `Cache-Control: " + shorten(header) + "`, which lets "
        + (sharedKeeps ? "a CDN" : "browsers") + " reuse it without asking: users may keep getting the old deploy. "
        + "Serve it with `Cache-Control: no-cache`.");
  }

  private static String shorten(String header) {
    String oneLine = header.replace('`', '\'').replace('\n', ' ');
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 79) + "…";
  }
}
