package dev.valine.orchestrator.config;

import java.util.Objects;

/**
 * A credential read from the environment. Its {@code toString} never shows the value, so a secret that
 * ends up in a log line, an exception or a record's string form stays hidden; call {@link #reveal()}
 * only where the value goes on the wire.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***REDACTED***";
  }
}
