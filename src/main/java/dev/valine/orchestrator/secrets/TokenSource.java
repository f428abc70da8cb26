package dev.valine.orchestrator.secrets;

import dev.valine.orchestrator.config.Secret;
import java.util.Optional;

/**
 * One token the bot sends upstream (the Discord bot token, the GitHub token), as it is now: an environment
 * variable's value, fixed for the life of the process, or a key of the Secrets Manager secret, read at run time
 * and renewed when the upstream rejects it. Clients ask for it per request and never keep it.
 */
public interface TokenSource {
  /**
   * The token, or empty when none is configured.
   *
   * @throws SecretUnavailableException when it lives in a secret that cannot be read now, and no token read before
   *     may be used instead
   */
  Optional<Secret> token();

  /**
   * After the upstream answered 401 to {@code rejected}: reads the secret again, unless another request already
   * did since, and says whether there is now a different token to retry with. Always false for a token from
   * the environment, which cannot change. Call it at most once per request, so that a token that is still
   * rejected after a fresh read is reported rather than retried in a loop.
   *
   * @throws SecretUnavailableException when the secret cannot be read now
   */
  boolean renew(Secret rejected);

  /** Where the token comes from, for messages and {@code doctor}: {@code DISCORD_BOT_TOKEN}, or the secret and its key. */
  String origin();

  /** A token from an environment variable (or none): never read again, never renewed. */
  static TokenSource environment(String variable, Optional<Secret> token) {
    return new TokenSource() {
      @Override
      public Optional<Secret> token() {
        return token;
      }

      @Override
      public boolean renew(Secret rejected) {
        return false;
      }

      @Override
      public String origin() {
        return variable;
      }

      @Override
      public String toString() {
        return "TokenSource[" + variable + (token.isPresent() ? "" : ", not set") + "]";
      }
    };
  }
}
