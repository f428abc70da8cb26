package dev.valine.orchestrator.observability;

import java.util.Locale;

/** The state of a trace or one of its steps, written in lower case (docs/observability.md). */
public enum TraceStatus {
  RUNNING, OK, ERROR;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status whose {@link #id()} this is. */
  public static TraceStatus fromId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
