package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.EmfMetrics;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deploy contract, checked on {@code template.yaml} itself: what the code needs from the template
 * (handler, environment, permissions) and what operators rely on (SnapStart, tracing, log retention,
 * alarms and a dashboard on metrics the code really writes). CloudFormation's short-form tags are read
 * as plain values, so {@code !Ref Stage} reads as "Stage". The template is also linted by cfn-lint in CI.
 */
class TemplateContractTest {
  private static final JsonNode TEMPLATE = load();
  private static final JsonNode FUNCTION = TEMPLATE.path("Resources").path("InteractionsFunction");
  private static final JsonNode PROPERTIES = FUNCTION.path("Properties");

  private static JsonNode load() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("template.yaml")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("template.yaml must be readable YAML", e);
    }
  }

  /** The variables Config reads, found by reading a configuration through a map that notes each lookup. */
  private static Set<String> variablesConfigReads() {
    Set<String> read = new TreeSet<>();
    Map<String, String> env = new HashMap<>() {
      @Override
      public String get(Object key) {
        read.add((String) key);
        return super.get(key);
      }

      @Override
      public String getOrDefault(Object key, String fallback) {
        read.add((String) key);
        return super.getOrDefault(key, fallback);
      }

      @Override
      public boolean containsKey(Object key) {
        read.add((String) key);
        return super.containsKey(key);
      }
    };
    env.put("DISCORD_PUBLIC_KEY", "0".repeat(64));
    Config.fromEnvironment(env, Config.PublicKey.OPTIONAL);
    return read;
  }

  @Test
  void handlerStringNamesAPublicStreamHandlerTheRuntimeCanConstruct() throws Exception {
    String handler = PROPERTIES.path("Handler").asText();
    assertTrue(handler.endsWith("::handleRequest"), handler);

    Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));

    assertTrue(RequestStreamHandler.class.isAssignableFrom(type), type + " is a RequestStreamHandler");
    assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()), "the runtime needs a public no-arg constructor");
    type.getMethod("handleRequest", InputStream.class, OutputStream.class, Context.class);
  }

  @Test
  void codeUriIsTheShadedJarTheBuildProduces() {
    assertEquals("target/valine-orchestrator.jar", PROPERTIES.path("CodeUri").asText());
  }

  @Test
  void setsEveryVariableTheConfigurationReads() {
    Set<String> set = new HashSet<>();
    PROPERTIES.path("Environment").path("Variables").fieldNames().forEachRemaining(set::add);

    Set<String> read = variablesConfigReads();
    assertTrue(read.containsAll(List.of("COMMAND_BUDGET_MS", "DEFERRED_TIMEOUT_SECONDS", "ENABLE_METRICS")), "lookups seen: " + read);
    Set<String> missing = new TreeSet<>(read);
    missing.removeAll(set);
    // The Lambda runtime sets its own (reserved) AWS_* variables; AWS_ENDPOINT_URL_* exist for local servers.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
    missing.removeIf(name -> name.startsWith("AWS_"));

    assertEquals(Set.of(), missing, "variables Config reads that the template leaves unset");
    assertTrue(set.containsAll(List.of("STAGE", "DISCORD_PUBLIC_KEY", "DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN",
        "DISCORD_API_BASE", "ALERT_CHANNEL_ID", "GITHUB_TOKEN", "GITHUB_REPO", "GITHUB_API_BASE", "STATUS_WORKFLOWS",
        "ENABLE_JSON_LOGGING", "ENABLE_DEBUG_CMD", "ENABLE_ALERTS", "DRY_RUN", "LOG_LEVEL", "TRACE_STORE_CAPACITY",
        "ALERT_DEDUP_WINDOW_SECONDS", "SIGNATURE_MAX_AGE_SECONDS")), "design §5: " + set);
  }

  @Test
  void secretsComeFromSecretsManagerNeverFromParameters() {
    JsonNode variables = PROPERTIES.path("Environment").path("Variables");
    for (String secret : List.of("DISCORD_BOT_TOKEN", "GITHUB_TOKEN")) {
      assertTrue(variables.path(secret).asText().startsWith("{{resolve:secretsmanager:"), secret + " = " + variables.path(secret));
    }
    TEMPLATE.path("Parameters").fieldNames().forEachRemaining(name ->
        assertFalse(name.toLowerCase().contains("token") || name.equalsIgnoreCase("secret"), "a secret as a parameter: " + name));
  }

  @Test
  void debugCommandIsOffInProductionThroughTheCondition() {
    JsonNode flag = PROPERTIES.path("Environment").path("Variables").path("ENABLE_DEBUG_CMD");

    assertEquals(Jackson.array().add("IsProduction").add("false").add("true"), flag, "!If [IsProduction, false, true]");
    assertTrue(TEMPLATE.path("Conditions").has("IsProduction"));
  }

  @Test
  void runsJava21WithSnapStartOnPublishedVersionsAndActiveTracing() {
    JsonNode globals = TEMPLATE.path("Globals").path("Function");
    assertEquals("java21", globals.path("Runtime").asText());
    assertEquals("Active", globals.path("Tracing").asText());
    assertEquals("PublishedVersions", PROPERTIES.path("SnapStart").path("ApplyOn").asText());
    assertEquals("live", PROPERTIES.path("AutoPublishAlias").asText());
    assertEquals("live", PROPERTIES.path("Environment").path("Variables").path("DEFERRED_JOB_QUALIFIER").asText(),
        "deferred jobs invoke the alias SAM publishes");
  }

  @Test
  void functionOutlivesTheDeferredTimeout() {
    int timeout = TEMPLATE.path("Globals").path("Function").path("Timeout").asInt();
    int deferred = PROPERTIES.path("Environment").path("Variables").path("DEFERRED_TIMEOUT_SECONDS").asInt();

    assertTrue(timeout > deferred + 10, "Timeout " + timeout + " s must exceed DEFERRED_TIMEOUT_SECONDS " + deferred + " s");
  }

  @Test
  void mayInvokeOnlyItselfAndUseOnlyItsStateTable() {
    assertEquals(1, PROPERTIES.path("Policies").size(), "one policy beyond SAM's logs and X-Ray");
    JsonNode statements = PROPERTIES.path("Policies").get(0).path("Statement");
    assertEquals(2, statements.size());

    JsonNode invoke = statements.get(0);
    assertEquals("lambda:InvokeFunction", invoke.path("Action").asText());
    for (JsonNode resource : invoke.path("Resource")) {
      assertTrue(resource.asText().contains(":function:valine-orchestrator-${Stage}"), resource.asText());
    }
    assertEquals("valine-orchestrator-${Stage}", PROPERTIES.path("FunctionName").asText(), "the name the policy is built from");

    JsonNode state = statements.get(1);
    Set<String> actions = new TreeSet<>();
    state.path("Action").forEach(action -> actions.add(action.asText()));
    assertEquals(Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"), actions);
    assertEquals(List.of("StateTable.Arn", "${StateTable.Arn}/index/by_trace_id"),
        List.of(state.path("Resource").get(0).asText(), state.path("Resource").get(1).asText()));
  }

  @Test
  void stateTableIsOnDemandWithTtlAndTheKeysTheCodeUses() {
    JsonNode table = TEMPLATE.path("Resources").path("StateTable").path("Properties");

    assertEquals("PAY_PER_REQUEST", table.path("BillingMode").asText());
    assertEquals("expires_at", table.path("TimeToLiveSpecification").path("AttributeName").asText());
    assertTrue(table.path("TimeToLiveSpecification").path("Enabled").asBoolean());
    assertEquals("StateTable", PROPERTIES.path("Environment").path("Variables").path("TRACE_TABLE_NAME").asText());
    // The schema itself is compared with what `serve` creates in StateTableTest, against a real DynamoDB-compatible server.
  }

  @Test
  void routesOnlyPostInteractionsThroughTheHttpApi() {
    JsonNode event = PROPERTIES.path("Events").path("Interactions");

    assertEquals("HttpApi", event.path("Type").asText());
    assertEquals("POST", event.path("Properties").path("Method").asText());
    assertEquals("/interactions", event.path("Properties").path("Path").asText());
  }

  @Test
  void keepsLogsForAFixedTimeInTheGroupTheFunctionWritesTo() {
    JsonNode group = TEMPLATE.path("Resources").path("LogGroup");

    assertEquals("AWS::Logs::LogGroup", group.path("Type").asText());
    assertEquals("LogRetentionDays", group.path("Properties").path("RetentionInDays").asText());
    assertEquals("LogGroup", PROPERTIES.path("LoggingConfig").path("LogGroup").asText());
    assertEquals("INFO", PROPERTIES.path("LoggingConfig").path("ApplicationLogLevel").asText(), "above INFO, EMF lines are dropped");
  }

  @Test
  void alarmsCoverErrorsThrottlesReplyLatencyAndAlertFailures() {
    Map<String, String> metricByAlarm = new HashMap<>();
    TEMPLATE.path("Resources").fields().forEachRemaining(entry -> {
      if (entry.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
        JsonNode properties = entry.getValue().path("Properties");
        metricByAlarm.put(properties.path("MetricName").asText(), properties.path("Namespace").asText());
      }
    });

    assertEquals(Map.of("Errors", "AWS/Lambda", "Throttles", "AWS/Lambda", "ReplyLatency", EmfMetrics.NAMESPACE,
        "AlertsFailed", EmfMetrics.NAMESPACE), metricByAlarm);
  }

  @Test
  void dashboardAndAlarmsUseOnlyMetricsTheCodeWrites() throws Exception {
    Set<String> written = metricNamesTheCodeWrites();
    String body = TEMPLATE.path("Resources").path("Dashboard").path("Properties").path("DashboardBody").asText()
        .replace("${AWS::Region}", "eu-west-1").replace("${Stage}", "prod");

    JsonNode dashboard = Jackson.parse(body);

    Set<String> used = new TreeSet<>();
    for (JsonNode widget : dashboard.path("widgets")) {
      for (JsonNode metric : widget.path("properties").path("metrics")) {
        if (metric.get(0).asText().equals(EmfMetrics.NAMESPACE)) {
          used.add(metric.get(1).asText());
        }
      }
    }
    assertTrue(written.containsAll(used), "dashboard metrics the code never writes: " + used);
    assertTrue(used.containsAll(written), "metrics written but not on the dashboard: " + written);
    Matcher unresolved = Pattern.compile("\\$\\{[^}]+}").matcher(body);
    assertFalse(unresolved.find(), "only ${Stage} and ${AWS::Region} are substituted: " + body);
  }

  /** Every metric name EmfMetrics writes, from lines it really writes for each kind of event. */
  private static Set<String> metricNamesTheCodeWrites() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    EmfMetrics metrics = new EmfMetrics(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        java.time.Clock.systemUTC(), "prod");
    metrics.commandCompleted("status", "ok", 1, false);
    metrics.commandReplied(1);
    metrics.signatureRejected("bad_signature");
    metrics.coldStart();
    metrics.alertSent();
    metrics.alertSuppressed();
    metrics.alertFailed();
    metrics.deferredJob("launched");
    metrics.stateStoreFallback("traces");
    Set<String> names = new TreeSet<>();
    for (String line : out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      Jackson.parse(line).path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    }
    return names;
  }

  @Test
  void outputsTheInteractionsUrlAndTheDashboardName() {
    assertTrue(TEMPLATE.path("Outputs").path("InteractionsUrl").path("Value").asText().endsWith("/interactions"));
    assertEquals("Dashboard", TEMPLATE.path("Outputs").path("DashboardName").path("Value").asText());
  }
}
