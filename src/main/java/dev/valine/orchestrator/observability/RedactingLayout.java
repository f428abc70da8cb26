package dev.valine.orchestrator.observability;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** The readable one-line format ({@code ENABLE_JSON_LOGGING=false}), redacted like the JSON lines. */
final class RedactingLayout extends PatternLayout {
  private final SecretRedactor redactor;

  RedactingLayout(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return redactor.redact(super.doLayout(event));
  }
}
