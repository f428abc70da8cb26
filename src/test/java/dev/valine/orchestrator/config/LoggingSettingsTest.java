package dev.valine.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingSettingsTest {
  @Test
  void defaultsToJsonAtInfoInDev() {
    LoggingSettings settings = LoggingSettings.fromEnvironment(Map.of());

    assertEquals(new LoggingSettings(true, "INFO", "dev", List.of()), settings);
  }

  @Test
  void readsTheThreeVariables() {
    LoggingSettings settings = LoggingSettings.fromEnvironment(Map.of("ENABLE_JSON_LOGGING", " FALSE ", "LOG_LEVEL", "debug",
        "STAGE", "prod"));

    assertEquals(new LoggingSettings(false, "DEBUG", "prod", List.of()), settings);
  }

  @Test
  void treatsBlankAsUnset() {
    LoggingSettings settings = LoggingSettings.fromEnvironment(Map.of("ENABLE_JSON_LOGGING", "", "LOG_LEVEL", " ", "STAGE", ""));

    assertEquals(new LoggingSettings(true, "INFO", "dev", List.of()), settings);
  }

  @Test
  void aBadLevelFallsBackToInfoWithAWarningNamingWhatIsAllowed() {
    LoggingSettings settings = LoggingSettings.fromEnvironment(Map.of("LOG_LEVEL", "LOUD"));

    assertEquals("INFO", settings.level());
    assertEquals(List.of("LOG_LEVEL 'LOUD' is not one of TRACE, DEBUG, INFO, WARN, ERROR; logging at INFO"), settings.warnings());
  }

  @Test
  void aBadJsonSwitchKeepsJsonWithAWarning() {
    LoggingSettings settings = LoggingSettings.fromEnvironment(Map.of("ENABLE_JSON_LOGGING", "yes"));

    assertTrue(settings.json());
    assertEquals(List.of("ENABLE_JSON_LOGGING must be true or false, got 'yes'; writing JSON lines"), settings.warnings());
  }

  @Test
  void toleratesAMapWithNullValues() {
    Map<String, String> env = new HashMap<>();
    env.put("LOG_LEVEL", null);

    LoggingSettings settings = LoggingSettings.fromEnvironment(env);

    assertEquals("INFO", settings.level());
    assertTrue(settings.warnings().isEmpty());
  }
}
