package dev.valine.orchestrator.doctor;

import dev.valine.orchestrator.config.Config;

/**
 * Where doctor says a token comes from. Doctor, like the rest of the command line, reads tokens from the environment
 * only; with {@code SECRET_ID} set, the function reads what the environment lacks from that secret at run time, with
 * its own role, so the lines say which source each check saw and which one the function uses.
 */
final class TokenOrigins {
  private TokenOrigins() {}

  /** For a token the environment lacks: where the function reads it instead, and how to check it here. */
  static String secretNote(Config config, String key, String variable) {
    return config.secretId().map(secret -> " here; the function reads it from secret " + secret + " (key " + key
        + ") at run time, which doctor does not read: set " + variable + " to that token to check it").orElse("");
  }

  /** For a token the environment has: it wins over the secret's, if one is named. */
  static String overridesNote(Config config, String key) {
    return config.secretId().map(secret -> "; from the environment, which wins over secret " + secret + " (key " + key + ")").orElse("");
  }
}
