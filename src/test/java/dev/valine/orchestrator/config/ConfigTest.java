package dev.valine.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.net.HostPattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static final String KEY = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  @Test
  void appliesDocumentedDefaults() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY), Config.PublicKey.REQUIRED);

    assertEquals(Stage.DEV, config.stage());
    assertEquals("https://discord.com/api/v10", config.discordApiBase());
    assertEquals("https://api.github.com", config.githubApiBase());
    assertTrue(config.jsonLogging());
    assertTrue(config.debugCommandEnabled());
    assertFalse(config.alertsEnabled());
    assertFalse(config.dryRun());
    assertEquals("INFO", config.logLevel());
    assertEquals(100, config.traceStoreCapacity());
    assertEquals(Duration.ofSeconds(300), config.alertDedupWindow());
    assertEquals(Duration.ofSeconds(300), config.signatureMaxAge());
    assertEquals(Duration.ofMillis(2000), config.commandBudget());
    assertEquals(List.of(), config.allowedTargetDomains(), "any public host");
    assertFalse(config.allowPrivateTargets());
  }

  @Test
  void appliesTheOpsActionsDefaultsWhereNobodyMayActYet() {
    OpsSettings ops = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY), Config.PublicKey.REQUIRED).ops();

    assertEquals("Client Deploy", ops.deployWorkflow());
    assertEquals("Diagnose on Demand", ops.diagnoseWorkflow());
    assertEquals("main", ops.deployRef());
    assertFalse(ops.operators().grants("53908232506183680", List.of("1")), "an empty allow-list means nobody");
    assertFalse(ops.admins().grants("53908232506183680", List.of()));
    assertFalse(ops.adminWrites());
    assertEquals(Optional.empty(), ops.frontendBaseUrl());
    assertEquals(List.of("/", "/index.html"), ops.verifyFrontendPaths());
    assertEquals(List.of("/health", "/hello"), ops.verifyApiPaths());
  }

  @Test
  void readsTheOpsActionsSettings() {
    OpsSettings ops = Config.fromEnvironment(Map.ofEntries(Map.entry("DISCORD_PUBLIC_KEY", KEY),
        Map.entry("DEPLOY_WORKFLOW", "deploy.yml"), Map.entry("DIAGNOSE_WORKFLOW", "diagnose.yml"), Map.entry("DEPLOY_REF", "release/1.4"),
        Map.entry("OPERATOR_USER_IDS", "111, 222"), Map.entry("OPERATOR_ROLE_IDS", "333"), Map.entry("ADMIN_USER_IDS", "444"),
        Map.entry("ENABLE_ADMIN_WRITES", "true"), Map.entry("FRONTEND_BASE_URL", "https://App.Example.com/"),
        Map.entry("API_BASE_URL", "https://api.example.com/v1"), Map.entry("VERIFY_API_PATHS", "/health, /ready")),
        Config.PublicKey.REQUIRED).ops();

    assertEquals("deploy.yml", ops.deployWorkflow());
    assertEquals("diagnose.yml", ops.diagnoseWorkflow());
    assertEquals("release/1.4", ops.deployRef());
    assertTrue(ops.operators().grants("222", List.of()));
    assertTrue(ops.operators().grants("999", List.of("333")), "by role");
    assertTrue(ops.admins().grants("444", List.of()));
    assertTrue(ops.adminWrites());
    assertEquals(Optional.of("https://app.example.com/"), ops.frontendBaseUrl(), "canonical form");
    assertEquals(Optional.of("https://api.example.com/v1"), ops.apiBaseUrl());
    assertEquals(List.of("/health", "/ready"), ops.verifyApiPaths());
  }

  @Test
  void refusesBadOpsActionsSettingsAllAtOnce() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
        "OPERATOR_ROLE_IDS", "ops-team", "DEPLOY_REF", "main..evil", "FRONTEND_BASE_URL", "http://169.254.169.254/latest",
        "VERIFY_FRONTEND_PATHS", "/ok, https://elsewhere.example/x, /../etc"), Config.PublicKey.REQUIRED));

    String message = error.getMessage();
    assertTrue(message.contains("OPERATOR_ROLE_IDS: 'ops-team' is not a Discord id"), message);
    assertTrue(message.contains("DEPLOY_REF"), message);
    assertTrue(message.contains("FRONTEND_BASE_URL is refused by the URL rules"), message);
    assertTrue(message.contains("VERIFY_FRONTEND_PATHS: 'https://elsewhere.example/x' is not a path"), message);
    assertTrue(message.contains("VERIFY_FRONTEND_PATHS: '/../etc' is not a path"), message);
  }

  @Test
  void turnsDebugCommandOffByDefaultInProd() {
    Config prod = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "STAGE", "prod"), Config.PublicKey.REQUIRED);
    Config prodOverride = Config.fromEnvironment(
        Map.of("DISCORD_PUBLIC_KEY", KEY, "STAGE", "prod", "ENABLE_DEBUG_CMD", "true"), Config.PublicKey.REQUIRED);

    assertFalse(prod.debugCommandEnabled());
    assertTrue(prodOverride.debugCommandEnabled());
  }

  @Test
  void readsEveryVariable() {
    Config config = Config.fromEnvironment(Map.ofEntries(
        Map.entry("STAGE", "staging"), Map.entry("DISCORD_PUBLIC_KEY", KEY.toUpperCase()),
        Map.entry("DISCORD_APPLICATION_ID", "1200000000000000000"), Map.entry("DISCORD_BOT_TOKEN", "fake.bot.token"),
        Map.entry("DISCORD_API_BASE", "http://127.0.0.1:9/api/"), Map.entry("ALERT_CHANNEL_ID", "645027906669510667"),
        Map.entry("GITHUB_TOKEN", "fake-token"), Map.entry("GITHUB_REPO", "octo-org/deploy.service"),
        Map.entry("GITHUB_API_BASE", "https://ghe.example.com/api/v3"), Map.entry("STATUS_WORKFLOWS", " deploy.yml, Release ,,"),
        Map.entry("ENABLE_JSON_LOGGING", "FALSE"), Map.entry("ENABLE_ALERTS", "true"), Map.entry("DRY_RUN", "true"),
        Map.entry("LOG_LEVEL", "debug"), Map.entry("TRACE_STORE_CAPACITY", "50"),
        Map.entry("ALERT_DEDUP_WINDOW_SECONDS", "60"), Map.entry("SIGNATURE_MAX_AGE_SECONDS", "30"),
        Map.entry("COMMAND_BUDGET_MS", "1500")), Config.PublicKey.REQUIRED);

    assertEquals(Stage.STAGING, config.stage());
    assertEquals(Optional.of(KEY), config.discordPublicKey(), "normalised to lower case");
    assertEquals("http://127.0.0.1:9/api", config.discordApiBase(), "trailing slash dropped");
    assertEquals(List.of("deploy.yml", "Release"), config.statusWorkflows());
    assertEquals(Optional.of("octo-org/deploy.service"), config.githubRepo());
    assertEquals("fake-token", config.githubToken().orElseThrow().reveal());
    assertFalse(config.jsonLogging());
    assertEquals("DEBUG", config.logLevel());
    assertEquals(Duration.ofSeconds(30), config.signatureMaxAge());
    assertEquals(Duration.ofMillis(1500), config.commandBudget());
  }

  @Test
  void treatsBlankValuesAsUnset() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "GITHUB_REPO", "", "STAGE", "  "),
        Config.PublicKey.REQUIRED);

    assertEquals(Optional.empty(), config.githubRepo());
    assertEquals(Stage.DEV, config.stage());
  }

  @Test
  void requiresPublicKeyInLambda() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> Config.fromEnvironment(Map.of(), Config.PublicKey.REQUIRED));

    assertEquals(List.of("DISCORD_PUBLIC_KEY is required: copy it from Developer Portal > General Information > Public Key"),
        error.problems());
  }

  @Test
  void allowsMissingPublicKeyLocally() {
    assertEquals(Optional.empty(), Config.fromEnvironment(Map.of(), Config.PublicKey.OPTIONAL).discordPublicKey());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "STAGE", "production",
        "DISCORD_PUBLIC_KEY", "abc",
        "GITHUB_REPO", "just-a-name",
        "ENABLE_ALERTS", "yes",
        "TRACE_STORE_CAPACITY", "0",
        "SIGNATURE_MAX_AGE_SECONDS", "five",
        "GITHUB_API_BASE", "ftp://example.com",
        "DISCORD_API_BASE", "https://discord.example:99999/api",
        "ALERT_CHANNEL_ID", "#ops"), Config.PublicKey.REQUIRED));

    assertEquals(9, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().startsWith("invalid configuration (9 problems):"));
    assertTrue(error.getMessage().contains("STAGE must be one of dev, staging, prod, got 'production'"));
    assertTrue(error.getMessage().contains("DISCORD_PUBLIC_KEY must be 64 hex characters"));
    assertTrue(error.getMessage().contains("GITHUB_REPO must be owner/name"));
    assertTrue(error.getMessage().contains("ENABLE_ALERTS must be true or false, got 'yes'"));
    assertTrue(error.getMessage().contains("TRACE_STORE_CAPACITY must be a whole number from 1 to 100000, got '0'"));
    assertTrue(error.getMessage().contains("SIGNATURE_MAX_AGE_SECONDS must be a whole number"));
    assertTrue(error.getMessage().contains("DISCORD_API_BASE has port 99999, which is not a TCP port"));
    assertTrue(error.getMessage().contains("GITHUB_API_BASE must be an http(s) URL"));
    assertTrue(error.getMessage().contains("ALERT_CHANNEL_ID must be a numeric Discord channel id"));
  }

  @Test
  void badLogLevelDoesNotStopTheBot() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "LOG_LEVEL", "LOUD"), Config.PublicKey.REQUIRED);

    assertEquals("INFO", config.logLevel());
  }

  @Test
  void refusesBaseUrlWithPortOutOfRange() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "GITHUB_API_BASE", "https://ghe.example.com:70000/api/v3"), Config.PublicKey.REQUIRED));

    assertEquals(List.of("GITHUB_API_BASE has port 70000, which is not a TCP port (1-65535): 'https://ghe.example.com:70000/api/v3'"),
        error.problems());
  }

  @Test
  void refusesBaseUrlWithQueryOrFragment() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "GITHUB_API_BASE", "https://ghe.example.com/api/v3?x=1",
        "DISCORD_API_BASE", "https://discord.com/api/v10#top"), Config.PublicKey.REQUIRED));

    assertEquals(2, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("GITHUB_API_BASE must be a base URL without '?' or '#' parts"));
    assertTrue(error.getMessage().contains("DISCORD_API_BASE must be a base URL without '?' or '#' parts"));
  }

  @Test
  void keepsTheCommandBudgetShortEnoughForAHandOffInsideThreeSeconds() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "COMMAND_BUDGET_MS", "2800"), Config.PublicKey.REQUIRED));

    assertEquals(List.of("COMMAND_BUDGET_MS must be a whole number from 100 to 2200, got '2800'"), error.problems());
  }

  @Test
  void refusesPortZero() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "GITHUB_API_BASE", "https://api.github.com:0"), Config.PublicKey.REQUIRED));

    assertTrue(error.getMessage().contains("GITHUB_API_BASE has port 0, which is not a TCP port (1-65535)"), error.getMessage());
  }

  @Test
  void refusesCleartextBaseUrlsOutsideDevUnlessLoopback() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "STAGE", "prod", "GITHUB_API_BASE", "http://ghe.example.com/api/v3"), Config.PublicKey.REQUIRED));
    assertEquals(List.of("GITHUB_API_BASE must be https in STAGE=prod: a token sent over http travels in cleartext, "
        + "got 'http://ghe.example.com/api/v3'"), error.problems());

    // A server on this machine (tests, benchmarks) and any http in dev stay allowed.
    assertEquals("http://127.0.0.1:8080", Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "STAGE", "prod",
        "GITHUB_API_BASE", "http://127.0.0.1:8080"), Config.PublicKey.REQUIRED).githubApiBase());
    assertEquals("http://ghe.example.com", Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
        "GITHUB_API_BASE", "http://ghe.example.com"), Config.PublicKey.REQUIRED).githubApiBase());
  }

  @Test
  void checksAwsEndpointOverridesAtStartUp() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "AWS_ENDPOINT_URL_DYNAMODB", "localhost:8000"), Config.PublicKey.REQUIRED));

    assertTrue(error.getMessage().contains("AWS_ENDPOINT_URL_DYNAMODB must be an http(s) URL"), error.getMessage());
  }

  @Test
  void readsWhereItRunsFromTheLambdaRuntime() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
        "AWS_LAMBDA_FUNCTION_NAME", "valine-dev", "AWS_LAMBDA_FUNCTION_VERSION", "7",
        "DEFERRED_JOB_QUALIFIER", "live", "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start",
        "AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000", "AWS_REGION", "eu-west-1",
        "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000", "AWS_SECRET_ACCESS_KEY", "fake-" + "not-a-key"),
        Config.PublicKey.REQUIRED);

    LambdaEnvironment lambda = config.lambda();
    assertEquals(Optional.of("valine-dev"), lambda.functionName());
    assertEquals(Optional.of("live"), lambda.jobQualifier());
    assertTrue(lambda.snapStart());
    assertTrue(lambda.xrayDaemon());
    // Region and endpoints for the SDK; never credentials, which the SDK's own chain reads.
    assertEquals(Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"), lambda.aws());
  }

  @Test
  void runsOutsideLambdaWhenTheRuntimeSaysNothing() {
    LambdaEnvironment lambda = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY), Config.PublicKey.REQUIRED).lambda();

    assertFalse(lambda.inLambda());
    assertFalse(lambda.snapStart());
    assertEquals(Optional.empty(), lambda.jobQualifier());
  }

  @Test
  void neverEchoesSecretValues() {
    String token = "fake secret-with-space";
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of(
        "DISCORD_PUBLIC_KEY", KEY, "DISCORD_BOT_TOKEN", token, "GITHUB_TOKEN", token,
        "GITHUB_API_BASE", "https://user:" + "pa55word@ghe.example.com"), Config.PublicKey.REQUIRED));

    assertEquals(3, error.problems().size(), error.getMessage());
    assertFalse(error.getMessage().contains("secret-with-space"), error.getMessage());
    assertFalse(error.getMessage().contains("pa55word"), error.getMessage());
    assertTrue(error.getMessage().contains("DISCORD_BOT_TOKEN contains whitespace"));
  }

  @Test
  void requiresChannelAndBotTokenWhenAlertsAreOn() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "ENABLE_ALERTS", "true"), Config.PublicKey.REQUIRED));

    assertEquals(2, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("ALERT_CHANNEL_ID is required when ENABLE_ALERTS=true"));
    assertTrue(error.getMessage().contains("DISCORD_BOT_TOKEN or SECRET_ID is required when ENABLE_ALERTS=true"));
  }

  @Test
  void acceptsTheSecretAsTheBotTokensSourceForAlerts() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "ENABLE_ALERTS", "true", "ALERT_CHANNEL_ID", "645027906669510667",
        "SECRET_ID", "valine/prod"), Config.PublicKey.REQUIRED);

    assertEquals(Optional.of("valine/prod"), config.secretId());
    assertEquals(Optional.empty(), config.discordBotToken(), "the secret's tokens are read at run time, not configuration");
  }

  @Test
  void readsTheSecretByNameOrArn() {
    String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:valine/prod-AbCdEf";

    assertEquals(Optional.of(arn), Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "SECRET_ID", arn), Config.PublicKey.REQUIRED)
        .secretId());
    assertEquals(Optional.empty(), Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY), Config.PublicKey.REQUIRED).secretId(),
        "unset: the tokens come from the environment");
  }

  @Test
  void refusesASecretIdThatIsNeitherANameNorAnArn() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(
        Map.of("DISCORD_PUBLIC_KEY", KEY, "SECRET_ID", "{\"botToken\": \"x\"}"), Config.PublicKey.REQUIRED));

    assertEquals(1, error.problems().size(), error.getMessage());
    assertTrue(error.problems().get(0).startsWith("SECRET_ID must be the name or ARN of a Secrets Manager secret"), error.getMessage());
    assertFalse(error.getMessage().contains("botToken"), "a value that is no name may be a token: not echoed");
  }

  @Test
  void dryRunAlertsNeedNoChannelOrToken() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "ENABLE_ALERTS", "true", "DRY_RUN", "true"),
        Config.PublicKey.REQUIRED);

    assertTrue(config.alertsEnabled() && config.dryRun());
  }

  @Test
  void hidesSecretsInToString() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "DISCORD_BOT_TOKEN", "fake.bot.token",
        "GITHUB_TOKEN", "fake-gh-token"), Config.PublicKey.REQUIRED);

    assertFalse(config.toString().contains("fake.bot.token"));
    assertFalse(config.toString().contains("fake-gh-token"));
    assertTrue(config.toString().contains("***REDACTED***"));
  }

  @Test
  void readsAllowedTargetDomainsAsHostPatterns() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
        "ALLOWED_TARGET_DOMAINS", " app.example.com, *.Example.NET. ,, bücher.example"), Config.PublicKey.REQUIRED);

    assertEquals(List.of(new HostPattern("app.example.com", false), new HostPattern("example.net", true),
        new HostPattern("xn--bcher-kva.example", false)), config.allowedTargetDomains());
  }

  @Test
  void reportsEveryEntryOfAllowedTargetDomainsThatIsNotAHost() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
        "ALLOWED_TARGET_DOMAINS", "https://app.example.com, ok.example.com, *"), Config.PublicKey.REQUIRED));

    assertEquals(List.of(
        "ALLOWED_TARGET_DOMAINS: 'https://app.example.com' is not a host name or *.domain (no scheme, port, path or other '*')",
        "ALLOWED_TARGET_DOMAINS: '*' is not a host name or *.domain (no scheme, port, path or other '*')"), error.problems());
  }

  @Test
  void allowsPrivateTargetsInDev() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "ALLOW_PRIVATE_TARGETS", "true"),
        Config.PublicKey.REQUIRED);

    assertTrue(config.allowPrivateTargets());
  }

  @Test
  void refusesPrivateTargetsOutsideDev() {
    for (String stage : List.of("staging", "prod")) {
      ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
          "STAGE", stage, "ALLOW_PRIVATE_TARGETS", "TRUE"), Config.PublicKey.REQUIRED));

      assertEquals(List.of("ALLOW_PRIVATE_TARGETS=true is only allowed with STAGE=dev (STAGE is " + stage + "): it lets URLs "
          + "reach loopback and private addresses. Remove it or set it to false."), error.problems());
    }
  }

  @Test
  void privateTargetsFalseIsFineAnywhere() {
    Config config = Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY, "STAGE", "prod", "ALLOW_PRIVATE_TARGETS", "false"),
        Config.PublicKey.REQUIRED);

    assertFalse(config.allowPrivateTargets());
  }

  @Test
  void refusesAPrivateTargetsValueThatIsNotABoolean() {
    ConfigException error = assertThrows(ConfigException.class, () -> Config.fromEnvironment(Map.of("DISCORD_PUBLIC_KEY", KEY,
        "ALLOW_PRIVATE_TARGETS", "yes"), Config.PublicKey.REQUIRED));

    assertEquals(List.of("ALLOW_PRIVATE_TARGETS must be true or false, got 'yes'"), error.problems());
  }
}
