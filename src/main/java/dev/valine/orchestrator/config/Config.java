package dev.valine.orchestrator.config;

import dev.valine.orchestrator.net.HostPattern;
import dev.valine.orchestrator.net.UrlPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the bot reads from its environment (README, "Configuration"), parsed once and validated as a whole.
 * Build it with {@link #fromEnvironment}; a bad environment throws one {@link ConfigException} naming
 * every problem. {@code toString} never shows a secret.
 *
 * @param commandBudget how long a command may spend before its reply must go out; Discord allows 3 s
 *     in total, cold start and network included. A command still running then is deferred.
 * @param metricsEnabled whether to write CloudWatch EMF metric lines on stdout ({@code ENABLE_METRICS})
 * @param traceTable the DynamoDB table for traces and alert deduplication shared by all containers
 *     ({@code TRACE_TABLE_NAME}); empty keeps both in each container's memory
 * @param traceRetention how long a stored trace lives before its TTL expires it
 * @param deferredTimeout how long a deferred command may run in all, counted from the request's arrival;
 *     the Lambda function's timeout must be longer
 * @param lambda what the Lambda runtime says about where the bot runs; {@link LambdaEnvironment#none()} elsewhere
 * @param allowedTargetDomains the hosts a URL a user supplies may name ({@code ALLOWED_TARGET_DOMAINS});
 *     empty allows any host with a public address
 * @param allowPrivateTargets whether such URLs may use http and reach loopback and private addresses
 *     ({@code ALLOW_PRIVATE_TARGETS}); only ever true with {@code STAGE=dev}
 * @param ops the ops actions' workflows, rights and deploy targets
 * @param dailyDigest whether the scheduled daily digest is posted to the ops channel ({@code ENABLE_DAILY_DIGEST})
 * @param dailyDigestRule the EventBridge rule whose scheduled events ask for it ({@code DAILY_DIGEST_RULE}); any
 *     other scheduled event is refused
 * @param secretId the Secrets Manager secret (name or ARN) whose JSON holds {@code botToken} and {@code githubToken},
 *     read at run time ({@code SECRET_ID}); {@code DISCORD_BOT_TOKEN} and {@code GITHUB_TOKEN}, when set, win. Only the
 *     name is configuration: {@link #discordBotToken()} and {@link #githubToken()} are the environment's tokens alone.
 */
public record Config(
    Stage stage,
    Optional<String> discordPublicKey,
    Optional<String> discordApplicationId,
    Optional<Secret> discordBotToken,
    String discordApiBase,
    Optional<String> alertChannelId,
    Optional<Secret> githubToken,
    Optional<String> githubRepo,
    String githubApiBase,
    List<String> statusWorkflows,
    boolean jsonLogging,
    boolean metricsEnabled,
    boolean debugCommandEnabled,
    boolean alertsEnabled,
    boolean dryRun,
    String logLevel,
    int traceStoreCapacity,
    Duration alertDedupWindow,
    Duration signatureMaxAge,
    Duration commandBudget,
    Duration deferredTimeout,
    Optional<String> traceTable,
    Duration traceRetention,
    LambdaEnvironment lambda,
    List<HostPattern> allowedTargetDomains,
    boolean allowPrivateTargets,
    OpsSettings ops,
    boolean dailyDigest,
    Optional<String> dailyDigestRule,
    Optional<String> secretId) {

  public static final String DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10";
  public static final String DEFAULT_GITHUB_API_BASE = "https://api.github.com";

  private static final Pattern HEX_32_BYTES = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
  // GitHub owner and repository names: letters, digits, '-', '_' and '.'.
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
  // DynamoDB's rule for table names.
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  // A secret's name (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html) or its ARN,
  // whose last part is the name and Secrets Manager's six random characters.
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
  private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}");

  public Config {
    Objects.requireNonNull(stage, "stage");
    statusWorkflows = List.copyOf(statusWorkflows);
    Objects.requireNonNull(lambda, "lambda");
    allowedTargetDomains = List.copyOf(allowedTargetDomains);
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(dailyDigestRule, "dailyDigestRule");
    Objects.requireNonNull(secretId, "secretId");
  }

  /** The rules every URL the bot fetches or stores passes (design, "Non-negotiables"). */
  public UrlPolicy urlPolicy() {
    return new UrlPolicy(allowedTargetDomains, allowPrivateTargets);
  }

  /** Whether a missing {@code DISCORD_PUBLIC_KEY} is an error (Lambda) or gets a dev key (local server). */
  public enum PublicKey { REQUIRED, OPTIONAL }

  /**
   * Parses and validates the environment.
   *
   * @throws ConfigException naming every missing or malformed variable
   */
  public static Config fromEnvironment(Map<String, String> env, PublicKey publicKey) {
    EnvReader read = new EnvReader(env);

    Stage stage = read.optional("STAGE").map(value -> Stage.parse(value).orElseGet(() -> {
      read.problem("STAGE must be one of dev, staging, prod, got '" + value + "'");
      return Stage.DEV;
    })).orElse(Stage.DEV);

    Optional<String> key = read.matching("DISCORD_PUBLIC_KEY", v -> HEX_32_BYTES.matcher(v).matches(),
        "64 hex characters (Developer Portal > General Information > Public Key)");
    if (publicKey == PublicKey.REQUIRED && read.optional("DISCORD_PUBLIC_KEY").isEmpty()) {
      read.problem("DISCORD_PUBLIC_KEY is required: copy it from Developer Portal > General Information > Public Key");
    }
    Optional<String> applicationId = read.matching("DISCORD_APPLICATION_ID",
        v -> SNOWFLAKE.matcher(v).matches(), "a numeric Discord id");
    Optional<Secret> botToken = read.secret("DISCORD_BOT_TOKEN");
    String discordApiBase = read.httpUrl("DISCORD_API_BASE", DEFAULT_DISCORD_API_BASE);
    Optional<String> alertChannel = read.matching("ALERT_CHANNEL_ID",
        v -> SNOWFLAKE.matcher(v).matches(), "a numeric Discord channel id");
    Optional<Secret> githubToken = read.secret("GITHUB_TOKEN");
    Optional<String> githubRepo = read.matching("GITHUB_REPO", v -> REPO.matcher(v).matches(),
        "owner/name, like octo-org/deploy-service");
    String githubApiBase = read.httpUrl("GITHUB_API_BASE", DEFAULT_GITHUB_API_BASE);
    List<String> workflows = read.list("STATUS_WORKFLOWS");
    Optional<String> secretId = read.optional("SECRET_ID");
    if (secretId.isPresent() && !SECRET_NAME.matcher(secretId.get()).matches() && !SECRET_ARN.matcher(secretId.get()).matches()) {
      // Not echoed: a value that is no name may be the secret's content pasted by mistake.
      read.problem("SECRET_ID must be the name or ARN of a Secrets Manager secret, like valine/prod, never a token"
          + " (the value is not shown here)");
      secretId = Optional.empty();
    }
    // The bot token and the GitHub token travel to these bases: cleartext only to this machine, or in dev.
    if (stage != Stage.DEV) {
      requireHttpsOrLoopback(read, "DISCORD_API_BASE", discordApiBase, stage);
      requireHttpsOrLoopback(read, "GITHUB_API_BASE", githubApiBase, stage);
    }

    boolean jsonLogging = read.bool("ENABLE_JSON_LOGGING", true);
    boolean metrics = read.bool("ENABLE_METRICS", true);
    boolean debugCommand = read.bool("ENABLE_DEBUG_CMD", stage != Stage.PROD);
    boolean alerts = read.bool("ENABLE_ALERTS", false);
    boolean dryRun = read.bool("DRY_RUN", false);
    // A bad LOG_LEVEL is a warning that the logging set-up logs, and INFO; never a reason not to start.
    String logLevel = LoggingSettings.fromEnvironment(env).level();
    int capacity = read.integer("TRACE_STORE_CAPACITY", 100, 1, 100_000);
    int dedupSeconds = read.integer("ALERT_DEDUP_WINDOW_SECONDS", 300, 1, 86_400);
    int maxAgeSeconds = read.integer("SIGNATURE_MAX_AGE_SECONDS", 300, 1, 3_600);
    // 2200 ms at most: after the budget, a deferral's hand-off (an asynchronous invoke of up to 600 ms) and the
    // trip back to Discord must still fit inside its 3 s.
    int budgetMillis = read.integer("COMMAND_BUDGET_MS", 2_000, 100, 2_200);
    // 840 s at most: the interaction token dies at 15 minutes, and the last edit must get in before that.
    int deferredSeconds = read.integer("DEFERRED_TIMEOUT_SECONDS", 60, 5, 840);
    Optional<String> traceTable = read.matching("TRACE_TABLE_NAME", v -> TABLE_NAME.matcher(v).matches(),
        "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
    int retentionDays = read.integer("TRACE_RETENTION_DAYS", 7, 1, 365);
    LambdaEnvironment lambda = LambdaEnvironment.read(read);
    List<HostPattern> allowedTargets = read.list("ALLOWED_TARGET_DOMAINS", HostPattern::parse);
    boolean allowPrivateTargets = read.bool("ALLOW_PRIVATE_TARGETS", false);
    if (allowPrivateTargets && stage != Stage.DEV) {
      // It lets any user make the bot fetch loopback and private addresses: never where real systems live.
      read.problem("ALLOW_PRIVATE_TARGETS=true is only allowed with STAGE=dev (STAGE is " + stage.id()
          + "): it lets URLs reach loopback and private addresses. Remove it or set it to false.");
    }
    OpsSettings ops = OpsSettings.read(read, new UrlPolicy(allowedTargets, allowPrivateTargets && stage == Stage.DEV));

    boolean dailyDigest = read.bool("ENABLE_DAILY_DIGEST", false);
    // EventBridge's rule names: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html
    Optional<String> digestRule = read.matching("DAILY_DIGEST_RULE", v -> v.matches("[.\\-_A-Za-z0-9]{1,64}"),
        "an EventBridge rule name (1-64 of A-Z a-z 0-9 . - _)");
    if (dailyDigest && !dryRun && read.optional("ALERT_CHANNEL_ID").isEmpty()) {
      read.problem("ALERT_CHANNEL_ID is required when ENABLE_DAILY_DIGEST=true: the digest is posted to the ops channel");
    }
    if (alerts && !dryRun) {
      // Alerts on with nowhere to send them would fail silently at the worst moment: say so now.
      if (read.optional("ALERT_CHANNEL_ID").isEmpty()) {
        read.problem("ALERT_CHANNEL_ID is required when ENABLE_ALERTS=true: the id of the ops channel (Developer Mode > Copy Channel ID)");
      }
      if (read.optional("DISCORD_BOT_TOKEN").isEmpty() && read.optional("SECRET_ID").isEmpty()) {
        read.problem("DISCORD_BOT_TOKEN or SECRET_ID is required when ENABLE_ALERTS=true: alerts are posted as the bot");
      }
    }
    if (!read.problems().isEmpty()) {
      throw new ConfigException(read.problems());
    }
    return new Config(stage, key.map(k -> k.toLowerCase(java.util.Locale.ROOT)), applicationId, botToken,
        discordApiBase, alertChannel, githubToken, githubRepo, githubApiBase, workflows, jsonLogging,
        metrics, debugCommand, alerts, dryRun, logLevel, capacity, Duration.ofSeconds(dedupSeconds),
        Duration.ofSeconds(maxAgeSeconds), Duration.ofMillis(budgetMillis), Duration.ofSeconds(deferredSeconds), traceTable,
        Duration.ofDays(retentionDays), lambda, allowedTargets, allowPrivateTargets, ops, dailyDigest, digestRule, secretId);
  }

  private static void requireHttpsOrLoopback(EnvReader read, String name, String url, Stage stage) {
    if (!url.startsWith("http://")) {
      return;
    }
    String host = java.net.URI.create(url).getHost();
    boolean loopback = "localhost".equalsIgnoreCase(host) || host.startsWith("127.") || "[::1]".equals(host);
    if (!loopback) {
      read.problem(name + " must be https in STAGE=" + stage.id() + ": a token sent over http travels in cleartext, got '" + url + "'");
    }
  }

  /** The same configuration with the given public key, for the local server's generated dev key. */
  public Config withDiscordPublicKey(String hex) {
    return new Config(stage, Optional.of(hex), discordApplicationId, discordBotToken, discordApiBase,
        alertChannelId, githubToken, githubRepo, githubApiBase, statusWorkflows, jsonLogging,
        metricsEnabled, debugCommandEnabled, alertsEnabled, dryRun, logLevel, traceStoreCapacity, alertDedupWindow,
        signatureMaxAge, commandBudget, deferredTimeout, traceTable, traceRetention, lambda, allowedTargetDomains,
        allowPrivateTargets, ops, dailyDigest, dailyDigestRule, secretId);
  }
}
