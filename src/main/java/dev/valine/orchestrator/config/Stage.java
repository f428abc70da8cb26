package dev.valine.orchestrator.config;

import java.util.Locale;
import java.util.Optional;

/** The deployment stage; it decides flag defaults (for example, /debug-last is off in prod). */
public enum Stage {
  DEV, STAGING, PROD;

  /** The lower-case name used in environment variables, logs and replies. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Stage> parse(String value) {
    for (Stage stage : values()) {
      if (stage.id().equals(value)) {
        return Optional.of(stage);
      }
    }
    return Optional.empty();
  }
}
