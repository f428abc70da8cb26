package dev.valine.orchestrator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the bot logs ({@code ENABLE_JSON_LOGGING}, {@code LOG_LEVEL}, {@code STAGE}), read from the
 * environment before anything else so that the first line is already in the right shape. A bad value
 * never stops the bot: it falls back to the default and leaves a warning for the first log lines.
 *
 * @param json JSON lines (docs/observability.md) unless {@code ENABLE_JSON_LOGGING=false}
 * @param level one of {@link #LEVELS}; {@code INFO} when unset or not one of them
 * @param stage the {@code stage} field of every line; {@code dev} when unset
 * @param warnings what was wrong with the environment, one sentence each, to log once logging runs
 */
public record LoggingSettings(boolean json, String level, String stage, List<String> warnings) {
  /** The levels {@code LOG_LEVEL} accepts, most verbose first. */
  public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  public static final String DEFAULT_LEVEL = "INFO";
  private static final String DEFAULT_STAGE = "dev";

  public LoggingSettings {
    warnings = List.copyOf(warnings);
  }

  /** Parses the three variables; never throws. Blank counts as unset, as SAM passes unset parameters as "". */
  public static LoggingSettings fromEnvironment(Map<String, String> env) {
    List<String> warnings = new ArrayList<>();

    boolean json = true;
    String jsonValue = value(env, "ENABLE_JSON_LOGGING");
    if (jsonValue != null) {
      if (jsonValue.equalsIgnoreCase("false")) {
        json = false;
      } else if (!jsonValue.equalsIgnoreCase("true")) {
        warnings.add("ENABLE_JSON_LOGGING must be true or false, got '" + jsonValue + "'; writing JSON lines");
      }
    }

    String level = DEFAULT_LEVEL;
    String levelValue = value(env, "LOG_LEVEL");
    if (levelValue != null) {
      String upper = levelValue.toUpperCase(Locale.ROOT);
      if (LEVELS.contains(upper)) {
        level = upper;
      } else {
        warnings.add("LOG_LEVEL '" + levelValue + "' is not one of " + String.join(", ", LEVELS) + "; logging at " + DEFAULT_LEVEL);
      }
    }

    String stage = value(env, "STAGE");
    return new LoggingSettings(json, level, stage == null ? DEFAULT_STAGE : stage, warnings);
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
