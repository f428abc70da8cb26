package dev.valine.orchestrator.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * The response a {@link SafeHttp} fetch ended at, after any redirects: enough for one line of a
 * {@code /verify-*} report.
 *
 * @param status the HTTP status of the last response (a 3xx without a Location ends the chain too)
 * @param url the URL that answered last
 * @param redirects the URLs that redirected, in order, starting with the one asked for; empty when none did
 * @param headers the last response's headers (Cache-Control, Content-Type, ...)
 * @param elapsed from the first request sent to the last body read
 * @param body at most the fetcher's byte limit of the last response's body
 * @param truncated whether the body went on past that limit (the rest was not read)
 */
public record Fetched(int status, HttpUrl url, List<HttpUrl> redirects, Headers headers, Duration elapsed, ByteString body,
    boolean truncated) {
  public Fetched {
    Objects.requireNonNull(url, "url");
    redirects = List.copyOf(redirects);
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(body, "body");
  }

  /** How many body bytes were read, at most the limit. */
  public long bytesRead() {
    return body.size();
  }

  /** The body read, decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String text() {
    return body.utf8();
  }
}
