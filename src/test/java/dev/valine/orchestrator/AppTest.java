package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.ConfigException;
import dev.valine.orchestrator.observability.Tracing;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppTest {

  @Test
  void failsFastOnPublicKeyThatIsNotAnEd25519Point() {
    // Right length and hex, but y = 2 is not on the curve: a key copied from the wrong place.
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", "02" + "00".repeat(31)), Config.PublicKey.REQUIRED);

    ConfigException error = assertThrows(ConfigException.class, () -> new App(config, Clock.systemUTC()));

    assertEquals(List.of("DISCORD_PUBLIC_KEY is not a valid Ed25519 public key: check it was copied whole"), error.problems());
  }

  @Test
  void tracesWithXRayOnlyInLambdaWithTheDaemon() {
    assertFalse(App.xrayActive(Map.of()));
    assertFalse(App.xrayActive(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f")));
    assertTrue(App.xrayActive(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f", "AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000")));
    assertSame(Tracing.NONE, App.defaultTracing(Map.of()).get());
  }

  @Test
  void registersStatusCommand() {
    Config config = Config.fromEnvironment(Map.of(), Config.PublicKey.OPTIONAL);

    assertEquals("status", App.commandDefinitions(config, Clock.systemUTC()).get(0).name());
  }
}
