package dev.valine.orchestrator.endpoint;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the endpoint sees it, whether it came from API Gateway, a Function URL or the local
 * server. Header names are case-insensitive: REST APIs keep the client's casing, HTTP APIs lower-case it.
 *
 * @param body the raw bytes exactly as received (already base64-decoded), which the signature covers
 * @param arrival when the request reached AWS or our server, if known; the command budget starts there
 * @param xrayTraceHeader the Lambda invocation's X-Ray trace header, when running under X-Ray
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body, Optional<Instant> arrival,
    Optional<String> xrayTraceHeader) {

  public HttpRequest(String method, String path, Map<String, String> headers, byte[] body, Optional<Instant> arrival) {
    this(method, path, headers, body, arrival, Optional.empty());
  }

  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(xrayTraceHeader, "xrayTraceHeader");
    TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(caseInsensitive);
  }

  /** The same request as seen under the given X-Ray trace header. */
  public HttpRequest withXrayTraceHeader(Optional<String> header) {
    return new HttpRequest(method, path, headers, body, arrival, header);
  }

  /** The header's value, null when absent; the name is matched ignoring case. */
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public String toString() {
    // Never the body or headers: the body carries the interaction token.
    return "HttpRequest[" + method + " " + path + ", " + body.length + " bytes]";
  }
}
