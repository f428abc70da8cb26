package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.ConfigException;
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
  void registersStatusCommand() {
    Config config = Config.fromEnvironment(Map.of(), Config.PublicKey.OPTIONAL);

    assertEquals("status", App.commandDefinitions(config, Clock.systemUTC()).get(0).name());
  }
}
