package dev.valine.orchestrator.ops;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * A deploy target as a repository variable holds it. It is only ever shown as scheme, host and path, with
 * the fingerprint of the whole value: its query string may carry a key, so neither answers, alerts, logs nor
 * the job's recorded progress repeat it.
 */
record TargetValue(String value) {
  // Enough for a host and the start of a path; a longer path is cut, the fingerprint still tells values apart.
  private static final int MAX_SHOWN = 120;

  TargetValue {
    Objects.requireNonNull(value, "value");
  }

  String fingerprint() {
    return Fingerprint.of(value);
  }

  /** {@code https://host[:port]/path}, with {@code ?…} when a query is left out; "(not a URL)" when it is none. */
  String shown() {
    HttpUrl url = HttpUrl.parse(value.trim());
    if (url == null) {
      return "(not a URL)";
    }
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    String port = url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port();
    String shown = url.scheme() + "://" + host + port + url.encodedPath();
    if (shown.length() > MAX_SHOWN) {
      shown = shown.substring(0, MAX_SHOWN - 1) + "…";
    }
    return url.encodedQuery() == null ? shown : shown + "?…";
  }

  /** The host alone, for the alert's summary; "(not a URL)" when it is none. */
  String host() {
    HttpUrl url = HttpUrl.parse(value.trim());
    return url == null ? "(not a URL)" : url.host();
  }

  /** {@code `https://host/path` (fingerprint `1a2b3c4d`)}: how answers and alerts name it. */
  String described() {
    return "`" + shown() + "` (fingerprint `" + fingerprint() + "`)";
  }

  @Override
  public String toString() {
    return "TargetValue[" + shown() + ", fingerprint=" + fingerprint() + "]";
  }
}
