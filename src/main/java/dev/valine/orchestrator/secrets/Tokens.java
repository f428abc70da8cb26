package dev.valine.orchestrator.secrets;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the bot's two tokens come from (design, "Configuration contract"): {@code DISCORD_BOT_TOKEN} and
 * {@code GITHUB_TOKEN} when set, else the keys {@code botToken} and {@code githubToken} of the secret {@code SECRET_ID}
 * names, read at run time; else none. Nothing is read, and no SDK class loaded, until a token is first asked for.
 */
public final class Tokens {
  /** The secret's key for the Discord bot token. */
  public static final String BOT_TOKEN_KEY = "botToken";
  /** The secret's key for the GitHub token. */
  public static final String GITHUB_TOKEN_KEY = "githubToken";
  /**
   * A read happens inside a command's 2 s budget, at most once per {@link SecretTokens#TTL} (once per
   * {@link SecretTokens#FAILURE_TTL} while reads fail): one second in all, half a second per attempt, three attempts,
   * so that a throttled or slow Secrets Manager ends as a clear answer while the command can still reply; a command
   * that runs past its budget is deferred as usual.
   */
  public static final CallLimits READS = new CallLimits(Duration.ofSeconds(1), Duration.ofMillis(500), 3);

  private final TokenSource discord;
  private final TokenSource github;
  private final Optional<SecretTokens> secret;

  Tokens(TokenSource discord, TokenSource github, Optional<SecretTokens> secret) {
    this.discord = discord;
    this.github = github;
    this.secret = secret;
  }

  /** For the app (Lambda and {@code serve}): the environment's tokens win; the secret fills in the rest. */
  public static Tokens forApp(Config config, AwsEnvironment aws, Clock clock) {
    return forApp(config, aws, clock, READS);
  }

  /** @param limits the Secrets Manager client's: {@link #READS}, or more for SnapStart priming's loopback stand-in */
  public static Tokens forApp(Config config, AwsEnvironment aws, Clock clock, CallLimits limits) {
    return config.secretId()
        .map(name -> choose(config, new SecretTokens(name,
            SecretReader.lazy(() -> new SecretsManagerReader(aws, limits, name)), clock, SecretTokens.TTL,
            SecretTokens.FAILURE_TTL, SecretTokens.MAX_STALENESS)))
        .orElseGet(() -> fromEnvironment(config));
  }

  /** For the CLI ({@code register}, {@code doctor}): the environment's tokens only, as they always were. */
  public static Tokens fromEnvironment(Config config) {
    return new Tokens(TokenSource.environment("DISCORD_BOT_TOKEN", config.discordBotToken()),
        TokenSource.environment("GITHUB_TOKEN", config.githubToken()), Optional.empty());
  }

  /** With the secret read by {@code reader}: for tests, and for SnapStart priming's loopback stand-in. */
  static Tokens choose(Config config, SecretTokens secret) {
    TokenSource discord = config.discordBotToken().isPresent()
        ? TokenSource.environment("DISCORD_BOT_TOKEN", config.discordBotToken()) : secret.source(BOT_TOKEN_KEY);
    TokenSource github = config.githubToken().isPresent()
        ? TokenSource.environment("GITHUB_TOKEN", config.githubToken()) : secret.source(GITHUB_TOKEN_KEY);
    boolean used = config.discordBotToken().isEmpty() || config.githubToken().isEmpty();
    return new Tokens(discord, github, used ? Optional.of(secret) : Optional.empty());
  }

  public TokenSource discord() {
    return discord;
  }

  public TokenSource github() {
    return github;
  }

  /** The secret a token is read from, when one is. */
  public Optional<SecretTokens> secret() {
    return secret;
  }

  /**
   * SnapStart priming: builds the Secrets Manager client (credentials provider, HTTP client) so that no client
   * is built after a restore. Reads nothing: a token must never be part of the snapshot.
   */
  public void prepare() {
    secret.ifPresent(SecretTokens::prepare);
  }

  /**
   * After a SnapStart restore: forgets anything read before the snapshot, so the first use reads the secret as it
   * is now. Priming reads none, so this only guards against a read slipping in before the checkpoint.
   */
  public void afterRestore() {
    secret.ifPresent(SecretTokens::invalidate);
  }

  /** Closes the Secrets Manager client if it was built: for SnapStart priming's throwaway app. */
  public void close() {
    secret.ifPresent(SecretTokens::close);
  }
}
