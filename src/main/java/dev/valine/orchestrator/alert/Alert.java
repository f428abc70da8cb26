package dev.valine.orchestrator.alert;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something the ops channel must hear about (docs/alerts.md).
 *
 * @param errorType what kind of failure, e.g. {@code IllegalStateException} or {@code GitHub SERVER_ERROR}
 * @param links label to URL, shown under the alert
 */
public record Alert(
    Severity severity,
    String title,
    String detail,
    Optional<String> traceId,
    Optional<String> command,
    Optional<String> userId,
    Optional<String> errorType,
    Map<String, String> links) {

  public Alert {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    links = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(links));
  }

  /**
   * What makes two alerts "the same" for deduplication: severity, title, error type and command. Not
   * the trace id or user, which differ every time the same failure repeats.
   */
  public String fingerprint() {
    return severity.id() + "|" + title + "|" + errorType.orElse("") + "|" + command.orElse("");
  }
}
