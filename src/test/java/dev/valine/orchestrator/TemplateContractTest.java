package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.EmfMetrics;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy contract, checked on {@code template.yaml} itself: what the code needs from the template
 * (handler, environment, permissions) and what operators rely on (SnapStart, tracing, log retention,
 * alarms and a dashboard on metrics the code really writes), and that every change to what the function runs
 * reaches the {@code live} alias (SAM publishes a version only when the package or the template's unresolved text
 * changes, so the package records its inputs: the Makefile {@code sam build} runs records template.yaml and
 * samconfig.toml, tools/deploy.sh a digest of every parameter's value), and that tools/check-live.sh tells when it
 * did not. {@link #TEMPLATE} reads CloudFormation's short-form tags as plain values, so {@code !Ref Stage} reads as
 * "Stage"; {@link #CFN} keeps them as the long form ({"Ref": "Stage"}) where a reference must be told from a literal.
 * No linter that knows current SAM is reachable here (TESTING_GUIDE.md); {@code sam validate --lint} is the check
 * before a deploy.
 */
class TemplateContractTest {
  private static final JsonNode TEMPLATE = load();
  private static final JsonNode FUNCTION = TEMPLATE.path("Resources").path("InteractionsFunction");
  private static final JsonNode PROPERTIES = FUNCTION.path("Properties");
  /** The template with intrinsic functions in their long form: {@code !Ref X} is {"Ref": "X"}. */
  private static final JsonNode CFN = loadWithIntrinsics();
  private static final JsonNode CFN_PROPERTIES = CFN.path("Resources").path("InteractionsFunction").path("Properties");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
  /** The handler's class file, where Lambda looks for it in the package: from template.yaml's Handler. */
  private static final String HANDLER_CLASS =
      PROPERTIES.path("Handler").asText().replaceFirst("::.*", "").replace('.', '/') + ".class";
  /** When the stand-in project's sources were last changed; its jar is built an hour later. */
  private static final Instant SOURCES_TIME = Instant.parse("2020-01-01T00:00:00Z");

  private static JsonNode load() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("template.yaml")));
    } catch (IOException e) {
      throw new IllegalStateException("template.yaml must be readable YAML", e);
    }
  }

  private static JsonNode loadWithIntrinsics() {
    try (YAMLParser parser = new YAMLFactory().createParser(Files.readString(Path.of("template.yaml")))) {
      parser.nextToken();
      return readWithIntrinsics(parser);
    } catch (IOException e) {
      throw new IllegalStateException("template.yaml must be readable YAML", e);
    }
  }

  /** Reads the value at the parser's current token, turning a short-form tag into the function it names. */
  private static JsonNode readWithIntrinsics(YAMLParser parser) throws IOException {
    String tag = parser.getTypeId();
    JsonNode value = switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = Jackson.object();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.set(name, readWithIntrinsics(parser));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = Jackson.array();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readWithIntrinsics(parser));
        }
        yield array;
      }
      default -> TextNode.valueOf(parser.getText());
    };
    if (tag == null || tag.isEmpty()) {
      return value;
    }
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
    ObjectNode function = Jackson.object();
    switch (tag) {
      case "Ref", "Condition" -> function.set(tag, value);
      case "GetAtt" -> function.set("Fn::GetAtt", value.isTextual()
          ? Jackson.array().add(value.asText().substring(0, value.asText().indexOf('.')))
              .add(value.asText().substring(value.asText().indexOf('.') + 1))
          : value);
      default -> function.set("Fn::" + tag, value);
    }
    return function;
  }

  /**
   * The template parameters a value depends on: through {@code Ref}, the variables of {@code Fn::Sub}, and the
   * conditions {@code Fn::If} chooses by. A reference to a resource is not followed: what it resolves to
   * changes only with the template or a parameter, and tools/deploy-digest.sh hashes both whole.
   */
  private static Set<String> parametersIn(JsonNode value) {
    Set<String> found = new TreeSet<>();
    collectParameters(value, found);
    return found;
  }

  private static void collectParameters(JsonNode node, Set<String> found) {
    JsonNode parameters = CFN.path("Parameters");
    if (node.isObject() && node.size() == 1) {
      String function = node.fieldNames().next();
      JsonNode argument = node.get(function);
      switch (function) {
        case "Ref" -> {
          if (parameters.has(argument.asText())) {
            found.add(argument.asText());
          }
          return;
        }
        case "Fn::Sub" -> {
          JsonNode ownVariables = argument.path(1);
          Matcher variable = SUB_VARIABLE.matcher(argument.isArray() ? argument.path(0).asText() : argument.asText());
          while (variable.find()) {
            if (parameters.has(variable.group(1)) && !ownVariables.has(variable.group(1))) {
              found.add(variable.group(1));
            }
          }
          collectParameters(ownVariables, found);
          return;
        }
        case "Fn::If" -> {
          collectParameters(CFN.path("Conditions").path(argument.path(0).asText()), found);
          collectParameters(argument.path(1), found);
          collectParameters(argument.path(2), found);
          return;
        }
        case "Condition" -> {
          collectParameters(CFN.path("Conditions").path(argument.asText()), found);
          return;
        }
        default -> { }
      }
    }
    node.forEach(child -> collectParameters(child, found));
  }

  /** Every parameter the function's configuration depends on, Globals included. */
  private static Set<String> parametersTheFunctionUses() {
    Set<String> used = parametersIn(CFN_PROPERTIES);
    used.addAll(parametersIn(CFN.path("Globals").path("Function")));
    return used;
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
  void samBuildsTheFunctionWithTheProjectsMakefile() throws IOException {
    // `sam build` runs `make build-<logical id>` from the Makefile in CodeUri; a jar as CodeUri fails its Java workflow.
    // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-custom-runtimes.html
    assertEquals(".", PROPERTIES.path("CodeUri").asText());
    assertEquals("makefile", FUNCTION.path("Metadata").path("BuildMethod").asText());
    assertTrue(Files.readString(Path.of("Makefile")).contains("\nbuild-InteractionsFunction: "), "the Makefile's target for the function");
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
    // The tokens as variables are for local use; the function reads them from SECRET_ID's secret (design §5).
    missing.removeAll(Set.of("DISCORD_BOT_TOKEN", "GITHUB_TOKEN"));

    assertEquals(Set.of(), missing, "variables Config reads that the template leaves unset");
    assertTrue(set.containsAll(List.of("STAGE", "DISCORD_PUBLIC_KEY", "DISCORD_APPLICATION_ID", "SECRET_ID",
        "DISCORD_API_BASE", "ALERT_CHANNEL_ID", "GITHUB_REPO", "GITHUB_API_BASE", "STATUS_WORKFLOWS",
        "ENABLE_JSON_LOGGING", "ENABLE_DEBUG_CMD", "ENABLE_ALERTS", "DRY_RUN", "LOG_LEVEL", "TRACE_STORE_CAPACITY",
        "ALERT_DEDUP_WINDOW_SECONDS", "SIGNATURE_MAX_AGE_SECONDS")), "design §5: " + set);
  }

  @Test
  void noTokenReachesTheFunctionsConfigurationOnlyTheSecretsName() {
    JsonNode variables = CFN_PROPERTIES.path("Environment").path("Variables");

    variables.fields().forEachRemaining(variable -> {
      assertFalse(variable.getKey().contains("TOKEN"), "a token in Environment: " + variable.getKey());
      // A dynamic reference would put the resolved value into the configuration, readable with GetFunctionConfiguration.
      assertFalse(variable.getValue().toString().contains("{{resolve:"), variable.getKey() + " = " + variable.getValue());
    });
    assertEquals(Jackson.object().put("Ref", "SecretName"), variables.path("SECRET_ID"), "the secret's name, read at run time");
    assertFalse(CFN.toString().contains("{{resolve:secretsmanager:"), "no secret value is resolved anywhere in the template");
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
  void mayInvokeOnlyItselfUseOnlyItsStateTableAndReadOnlyItsSecret() {
    assertEquals(1, PROPERTIES.path("Policies").size(), "one policy beyond SAM's logs and X-Ray");
    JsonNode statements = PROPERTIES.path("Policies").get(0).path("Statement");
    assertEquals(3, statements.size());

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

    // The one action the tokens need, on the one secret: its ARN is the name, "-" and six random characters.
    JsonNode secret = CFN_PROPERTIES.path("Policies").get(0).path("Statement").get(2);
    assertEquals("Allow", secret.path("Effect").asText());
    assertEquals("secretsmanager:GetSecretValue", secret.path("Action").asText(), "one action, not a list or a wildcard");
    assertEquals(Jackson.object().put("Fn::Sub",
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretName}-??????"), secret.path("Resource"));
    assertFalse(secret.has("NotAction") || secret.has("NotResource") || secret.has("Condition"), secret.toString());
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
  void logsOutliveTheStackAndAReplacementButNotAFailedFirstCreate() {
    JsonNode group = TEMPLATE.path("Resources").path("LogGroup");

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    assertEquals("RetainExceptOnCreate", group.path("DeletionPolicy").asText());
    assertEquals("Retain", group.path("UpdateReplacePolicy").asText());
    assertTrue(group.path("Properties").has("RetentionInDays"), "a kept group still expires what it holds");
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
    metrics.workflowDispatch("deploy", "dispatched");
    metrics.runFollowed("deploy", "success");
    metrics.verification("passed");
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

  // Configuration reaches `live`: a deploy that changes anything the function runs publishes a version and moves the alias.

  @Test
  void publishesAVersionWhenThePackageChangesNotWhenAParameterSaysSo() {
    assertEquals("live", CFN_PROPERTIES.path("AutoPublishAlias").asText());
    // With AutoPublishCodeSha256 SAM names the version after that value alone; a bare `sam deploy` that does not pass
    // the parameter keeps the stack's old value, so a new package would publish nothing.
    assertTrue(CFN_PROPERTIES.path("AutoPublishCodeSha256").isMissingNode(), CFN_PROPERTIES.toString());
    assertTrue(CFN.path("Parameters").path("DeployDigest").isMissingNode(), "no parameter only tools/deploy.sh can fill");
  }

  @Test
  void findsTheParametersTheFunctionUsesThroughRefsSubsAndConditions() {
    JsonNode variables = CFN_PROPERTIES.path("Environment").path("Variables");

    assertEquals(Set.of("AlertChannelId"), parametersIn(variables.path("ENABLE_ALERTS")), "!If [AlertsOn, ...]");
    assertEquals(Set.of("Stage"), parametersIn(variables.path("ENABLE_DEBUG_CMD")), "!If [IsProduction, ...]");
    assertEquals(Set.of("SecretName"), parametersIn(variables.path("SECRET_ID")));
    assertEquals(Set.of("MemorySize"), parametersIn(CFN.path("Globals").path("Function").path("MemorySize")));
    assertEquals(Set.of(), parametersIn(variables.path("TRACE_TABLE_NAME")), "a resource, not a parameter");
    Set<String> used = parametersTheFunctionUses();
    assertTrue(used.containsAll(Set.of("Stage", "DiscordPublicKey", "DiscordApplicationId", "SecretName",
        "AlertChannelId", "GitHubRepo", "StatusWorkflows", "MemorySize", "TraceRetentionDays")), "found: " + used);
  }

  @Test
  void everyParameterTheFunctionUsesChangesThePublishedVersionOnItsOwn(@TempDir Path dir) throws Exception {
    DeployInputs last = DeployInputs.prodLike();
    String lastDigest = digest(dir, last);

    for (String parameter : parametersTheFunctionUses()) {
      // tools/deploy.sh writes the digest into the package, and SAM names the version after the package's files.
      String because = "a deploy that changes only " + parameter + ", which the function's configuration uses, would leave `live`"
          + " on the old configuration: the digest recorded in the package does not depend on it";
      assertNotEquals(lastDigest, digest(dir, last.withOverride(parameter, "changed-" + parameter)),
          because + " (passed by the deploy)");
      DeployInputs kept = last.withoutOverride(parameter).withPrevious(parameter, "one");
      assertNotEquals(digest(dir, kept), digest(dir, kept.withPrevious(parameter, "two")),
          because + " (not passed, so CloudFormation keeps the stack's value)");
    }
  }

  @Test
  void aFlagOnlyDeployPublishesANewVersion(@TempDir Path dir) throws Exception {
    // ENABLE_ALERTS is !If [AlertsOn, "true", "false"], and AlertsOn is AlertChannelId != "".
    DeployInputs alertsOff = DeployInputs.prodLike().withOverride("AlertChannelId", "");
    DeployInputs alertsOn = alertsOff.withOverride("AlertChannelId", "123456789012345678");

    assertNotEquals(digest(dir, alertsOff), digest(dir, alertsOn));
  }

  @Test
  void aDeployThatNamesAnotherSecretPublishesANewVersion(@TempDir Path dir) throws Exception {
    DeployInputs before = DeployInputs.prodLike();

    // A rotation changes the secret's value, which the function reads at run time: no deploy. Another secret is one.
    assertNotEquals(digest(dir, before), digest(dir, before.withOverride("SecretName", "valine/prod-2")));
  }

  @Test
  void aMemoryOnlyDeployPublishesANewVersion(@TempDir Path dir) throws Exception {
    DeployInputs before = DeployInputs.prodLike();

    assertNotEquals(digest(dir, before), digest(dir, before.withOverride("MemorySize", "2048")));
  }

  @Test
  void aCodeOnlyOrTemplateOnlyDeployPublishesANewVersion(@TempDir Path dir) throws Exception {
    DeployInputs before = DeployInputs.prodLike();
    String flagInTheTemplate = before.template().replace("LOG_LEVEL: INFO", "LOG_LEVEL: DEBUG");

    assertNotEquals(before.template(), flagInTheTemplate);
    assertNotEquals(digest(dir, before), digest(dir, before.withJar("another fake jar")));
    assertNotEquals(digest(dir, before), digest(dir, before.withTemplate(flagInTheTemplate)));
  }

  @Test
  void aDeployThatChangesNothingPublishesNothing(@TempDir Path dir) throws Exception {
    DeployInputs last = DeployInputs.prodLike();
    Map<String, String> reordered = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(last.overrides().keySet());
    Collections.reverse(names);
    names.forEach(name -> reordered.put(name, last.overrides().get(name)));

    String digest = digest(dir, last);

    assertEquals(digest, digest(dir, last), "same inputs");
    assertEquals(digest, digest(dir, last.withPrevious("DeployDigest", "f".repeat(64))),
        "the parameter an older stack still has is not an input");
    assertEquals(digest, digest(dir, new DeployInputs(last.jar(), last.template(), last.previous(), reordered)), "order");
    assertEquals(digest, digest(dir, last.withOverride("MemorySize", last.previous().get("MemorySize"))),
        "passing the value the stack keeps anyway");
  }

  @Test
  void nothingTheFunctionUsesCanChangeWithoutTheDeployNoticing() {
    for (String parameter : parametersTheFunctionUses()) {
      // An SSM-typed parameter resolves at deploy time: its value can change while the parameter (a name) does not.
      assertFalse(CFN.path("Parameters").path(parameter).path("Type").asText().startsWith("AWS::SSM::Parameter::Value"),
          parameter + " resolves outside the digest");
    }
    // Dynamic references resolve at deploy time too, outside the digest: the function has none.
    assertFalse(CFN_PROPERTIES.toString().contains("{{resolve:"), CFN_PROPERTIES.toString());
  }

  @Test
  void samconfigSetsEveryParameterWithoutADefaultAndOnlyParametersTheTemplateHas() throws IOException {
    Map<String, Map<String, String>> overrides = samconfigOverrides(Files.readString(Path.of("samconfig.toml")));
    Set<String> required = new TreeSet<>();
    Set<String> known = new TreeSet<>();
    CFN.path("Parameters").fields().forEachRemaining(parameter -> {
      known.add(parameter.getKey());
      if (!parameter.getValue().has("Default")) {
        required.add(parameter.getKey());
      }
    });

    assertEquals(Set.of("dev", "staging", "prod"), overrides.keySet());
    overrides.forEach((stage, pairs) -> {
      assertTrue(pairs.keySet().containsAll(required), stage + " sets every parameter without a default: " + required);
      // sam deploy drops a value for a parameter the template does not have, silently: a misspelt name would do nothing.
      assertTrue(known.containsAll(pairs.keySet()), stage + ": " + pairs.keySet());
    });
  }

  @Test
  void theCodeOfAPackageDirectoryIsItsFilesPathsAndBytesAsSamZipsIt(@TempDir Path dir) throws Exception {
    Map<String, String> files = Map.of(HANDLER_CLASS, "handler", "META-INF/services/x.Y", "x.Z");
    Path built = writeFiles(dir.resolve("built"), files);
    Path again = writeFiles(dir.resolve("again"), files);
    Files.setLastModifiedTime(again.resolve(HANDLER_CLASS), FileTime.from(SOURCES_TIME));
    Files.createDirectories(again.resolve("empty/directory"));
    Map<String, String> renamed = new TreeMap<>(files);
    renamed.put("META-INF/services/x.Other", renamed.remove("META-INF/services/x.Y"));
    Map<String, String> added = new TreeMap<>(files);
    added.put("dev/Extra.class", "");

    String digest = codeDigest(dir, built);

    assertEquals(digest, codeDigest(dir, again), "file times and empty directories are not shipped");
    assertNotEquals(digest, codeDigest(dir, writeFiles(dir.resolve("changed"), Map.of(HANDLER_CLASS, "handler!",
        "META-INF/services/x.Y", "x.Z"))), "a byte");
    assertNotEquals(digest, codeDigest(dir, writeFiles(dir.resolve("renamed"), renamed)), "a name");
    assertNotEquals(digest, codeDigest(dir, writeFiles(dir.resolve("added"), added)), "an empty file more");
  }

  /** tools/deploy-digest.sh's digest of a package directory, all else fixed. */
  private static String codeDigest(Path dir, Path code) throws Exception {
    Path template = Files.writeString(dir.resolve("code-template.yaml"), "template");
    Path previous = Files.writeString(dir.resolve("code-previous.txt"), "");
    Run run = run(new ProcessBuilder("bash", "tools/deploy-digest.sh", code.toString(), template.toString(), previous.toString()));
    assertEquals(0, run.exitCode(), run.output());
    return run.output().strip();
  }

  private static Path writeFiles(Path dir, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.createDirectories(dir.resolve(file.getKey()).getParent());
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
    return dir;
  }

  /** Where the package records what it was built from (Makefile: inputs; tools/deploy.sh writes it too). */
  private static final String DEPLOY_INPUTS = "META-INF/valine-orchestrator/deploy-inputs.txt";

  /** The files of a package that come from the jar: all but {@link #DEPLOY_INPUTS}. */
  private static Map<String, String> jarFilesUnder(Path dir) throws IOException {
    Map<String, String> files = filesUnder(dir);
    assertTrue(files.containsKey(DEPLOY_INPUTS), "the package records its inputs: " + files.keySet());
    files.remove(DEPLOY_INPUTS);
    return files;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** Every file under {@code dir} by its path relative to it, with its content. */
  private static Map<String, String> filesUnder(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(file).toString(), Files.readString(file));
      }
    }
    return files;
  }

  /** A jar (a zip) of these entries, stamped with one fixed time as the reproducible build stamps them. */
  private static void writeJar(Path jar, Map<String, String> entries) throws IOException {
    Files.createDirectories(jar.getParent());
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
        ZipEntry zipEntry = new ZipEntry(entry.getKey());
        zipEntry.setTime(SOURCES_TIME.toEpochMilli());
        zip.putNextEntry(zipEntry);
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  /** Makes {@code path} look last changed at {@code time}, and with it everything under it (directories too). */
  private static void touch(Path path, Instant time) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.toList()) {
        Files.setLastModifiedTime(each, FileTime.from(time));
      }
    }
  }

  /** A stand-in for Maven: records where it ran and its arguments, and "builds" fake-state/next.jar into the jar. */
  private static final String FAKE_MVN = """
      #!/usr/bin/env bash
      set -euo pipefail
      printf '%s\\n' "$PWD" "$@" >"$FAKE_STATE/mvn-args"
      cp "$FAKE_STATE/next.jar" target/valine-orchestrator.jar
      """;

  /**
   * A project the Makefile can build: the real Makefile, a pom.xml and sources last changed at {@link #SOURCES_TIME}, a
   * jar of {@code jarEntries} built an hour later (so up to date), stand-ins for template.yaml and samconfig.toml, and a
   * stand-in {@code mvn} in fake-bin.
   */
  private static void writeProject(Path root, Map<String, String> jarEntries) throws IOException {
    Files.copy(Path.of("Makefile"), root.resolve("Makefile"));
    Files.writeString(root.resolve("template.yaml"), "Resources: {}\n");
    Files.writeString(root.resolve("samconfig.toml"), "version = 0.1\n");
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    writeFiles(root.resolve("src/main"), Map.of("java/app/Handler.java", "class Handler {}", "java/app/Gone.java", "class Gone {}",
        "resources/logback.xml", "<configuration/>"));
    touch(root.resolve("pom.xml"), SOURCES_TIME);
    touch(root.resolve("src"), SOURCES_TIME);
    writeJar(root.resolve("target/valine-orchestrator.jar"), jarEntries);
    touch(root.resolve("target/valine-orchestrator.jar"), SOURCES_TIME.plus(Duration.ofHours(1)));
    Files.createDirectories(root.resolve("fake-bin"));
    Files.createDirectories(root.resolve("fake-state"));
    Files.writeString(root.resolve("fake-bin/mvn"), FAKE_MVN);
    Files.setPosixFilePermissions(root.resolve("fake-bin/mvn"), PosixFilePermissions.fromString("rwx------"));
  }

  /** The environment the stand-ins need: fake-bin first on PATH, and where they keep their state. */
  private static ProcessBuilder withFakes(ProcessBuilder builder, Path root) {
    builder.environment().put("PATH", root.resolve("fake-bin") + File.pathSeparator + System.getenv("PATH"));
    builder.environment().put("FAKE_STATE", root.resolve("fake-state").toString());
    return builder;
  }

  /**
   * The Makefile {@code sam build} runs (template.yaml's BuildMethod), run as SAM runs it: from another directory, with
   * ARTIFACTS_DIR set. Maven (a stand-in) runs only when the jar is older than an input, and the package is the jar's
   * files, where Lambda loads them from.
   */
  @Nested
  class SamBuild {
    private static final Map<String, String> JAR = Map.of(HANDLER_CLASS, "built", "META-INF/services/org.slf4j.spi.SLF4JServiceProvider",
        "ch.qos.logback.classic.spi.LogbackServiceProvider");

    @TempDir
    Path root;

    @BeforeEach
    void writeAProjectWithAnUpToDateJar() throws IOException {
      writeProject(root, JAR);
      writeJar(root.resolve("fake-state/next.jar"), Map.of(HANDLER_CLASS, "rebuilt"));
    }

    private Run make(Path artifacts) throws IOException, InterruptedException {
      Path scratch = Files.createDirectories(root.resolve("scratch"));
      ProcessBuilder builder = new ProcessBuilder("make", "--makefile", root.resolve("Makefile").toString(), "build-InteractionsFunction")
          .directory(scratch.toFile());
      builder.environment().put("ARTIFACTS_DIR", artifacts.toString());
      return run(withFakes(builder, root));
    }

    private boolean mavenRan() {
      return Files.exists(root.resolve("fake-state/mvn-args"));
    }

    @Test
    void unpacksAnUpToDateJarWithoutRunningMaven() throws Exception {
      Path artifacts = root.resolve("artifacts");

      Run build = make(artifacts);

      assertEquals(0, build.exitCode(), build.output());
      assertEquals(new TreeMap<>(JAR), jarFilesUnder(artifacts), "the jar's files at the package's root, the handler class too");
      assertFalse(mavenRan(), build.output());
    }

    @Test
    void recordsTheSha256OfTheTemplateAndSamconfigInThePackage() throws Exception {
      Path artifacts = root.resolve("artifacts");

      Run build = make(artifacts);

      assertEquals(0, build.exitCode(), build.output());
      assertEquals(sha256(root.resolve("template.yaml")) + "  template.yaml\n" + sha256(root.resolve("samconfig.toml")) + "  samconfig.toml\n",
          Files.readString(artifacts.resolve(DEPLOY_INPUTS)), "sha256sum's format, which shasum -a 256 prints too");
    }

    @Test
    void aParameterEditedInSamconfigChangesThePackageSoSamPublishes() throws Exception {
      make(root.resolve("before"));
      Files.writeString(root.resolve("samconfig.toml"), "version = 0.1\nparameter_overrides = \"AlertChannelId=123\"\n");

      Run build = make(root.resolve("after"));

      assertEquals(0, build.exitCode(), build.output());
      assertEquals(jarFilesUnder(root.resolve("before")), jarFilesUnder(root.resolve("after")), "the same code");
      assertNotEquals(codeDigest(root, root.resolve("before")), codeDigest(root, root.resolve("after")));
      assertFalse(mavenRan(), "a configuration edit does not rebuild the jar: " + build.output());
    }

    @Test
    void recordsOnlyTheTemplateWhenThereIsNoSamconfig() throws Exception {
      Files.delete(root.resolve("samconfig.toml"));

      Run build = make(root.resolve("artifacts"));

      assertEquals(0, build.exitCode(), build.output());
      assertEquals(sha256(root.resolve("template.yaml")) + "  template.yaml\n", Files.readString(root.resolve("artifacts").resolve(DEPLOY_INPUTS)));
    }

    @Test
    void unpacksTheSameFilesEveryTime() throws Exception {
      Run first = make(root.resolve("first"));
      Run second = make(root.resolve("second"));

      assertEquals(0, first.exitCode(), first.output());
      assertEquals(0, second.exitCode(), second.output());
      assertEquals(filesUnder(root.resolve("first")), filesUnder(root.resolve("second")));
      assertEquals(codeDigest(root, root.resolve("first")), codeDigest(root, root.resolve("second")));
    }

    @Test
    void runsMavenInTheProjectFirstWhenASourceIsNewerThanTheJar() throws Exception {
      touch(root.resolve("src/main/java/app/Handler.java"), SOURCES_TIME.plus(Duration.ofHours(2)));

      Run build = make(root.resolve("artifacts"));

      assertEquals(0, build.exitCode(), build.output());
      List<String> maven = Files.readAllLines(root.resolve("fake-state/mvn-args"));
      assertEquals(root.toRealPath(), Path.of(maven.get(0)).toRealPath(), "Maven runs in the project, not in SAM's scratch copy");
      assertEquals(List.of("-B", "-q", "package", "-DskipTests"), maven.subList(1, maven.size()));
      assertEquals(Map.of(HANDLER_CLASS, "rebuilt"), jarFilesUnder(root.resolve("artifacts")));
    }

    @Test
    void runsMavenWhenThePomIsNewerThanTheJar() throws Exception {
      touch(root.resolve("pom.xml"), SOURCES_TIME.plus(Duration.ofHours(2)));

      Run build = make(root.resolve("artifacts"));

      assertEquals(0, build.exitCode(), build.output());
      assertTrue(mavenRan(), build.output());
    }

    @Test
    void runsMavenWhenASourceWasDeletedSinceTheJar() throws Exception {
      Files.delete(root.resolve("src/main/java/app/Gone.java"));

      Run build = make(root.resolve("artifacts"));

      assertEquals(0, build.exitCode(), build.output());
      assertTrue(mavenRan(), "the old jar still holds the deleted class: " + build.output());
    }

    @Test
    void runsMavenWhenThereIsNoJar() throws Exception {
      Files.delete(root.resolve("target/valine-orchestrator.jar"));

      Run build = make(root.resolve("artifacts"));

      assertEquals(0, build.exitCode(), build.output());
      assertTrue(mavenRan(), build.output());
      assertEquals(Map.of(HANDLER_CLASS, "rebuilt"), jarFilesUnder(root.resolve("artifacts")));
    }

    @Test
    void refusesAnArtifactsDirectoryThatIsNotEmptyAndLeavesItAlone() throws Exception {
      Path artifacts = writeFiles(root.resolve("artifacts"), Map.of("Old.class", "old"));

      Run build = make(artifacts);

      assertNotEquals(0, build.exitCode(), build.output());
      assertTrue(build.output().contains("is not empty"), build.output());
      assertEquals(Map.of("Old.class", "old"), filesUnder(artifacts));
    }

    @Test
    void refusesToRunWithoutArtifactsDir() throws Exception {
      Run build = make(Path.of(""));

      assertNotEquals(0, build.exitCode(), build.output());
      assertTrue(build.output().contains("ARTIFACTS_DIR is not set"), build.output());
    }
  }

  /** Runs tools/deploy-digest.sh, as tools/deploy.sh does, on inputs written to {@code dir}. */
  private static String digest(Path dir, DeployInputs inputs) throws Exception {
    Path jar = Files.writeString(dir.resolve("app.jar"), inputs.jar());
    Path template = Files.writeString(dir.resolve("template.yaml"), inputs.template());
    StringBuilder previous = new StringBuilder();
    inputs.previous().forEach((name, value) -> previous.append(name).append('\t').append(value).append('\n'));
    Path previousFile = Files.writeString(dir.resolve("previous.txt"), previous);
    List<String> command = new ArrayList<>(List.of("bash", "tools/deploy-digest.sh", jar.toString(), template.toString(),
        previousFile.toString()));
    inputs.overrides().forEach((name, value) -> command.add(name + "=" + value));

    Run run = run(new ProcessBuilder(command));

    assertEquals(0, run.exitCode(), run.output());
    String digest = run.output().strip();
    assertTrue(digest.matches("[0-9a-f]{64}"), digest);
    return digest;
  }

  private record Run(int exitCode, String output) {}

  private static Run run(ProcessBuilder builder) throws IOException, InterruptedException {
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not finish: " + builder.command());
    return new Run(process.exitValue(), output);
  }

  /** Each {@code [<stage>.deploy.parameters]}'s parameter_overrides, as name to value in their order. */
  private static Map<String, Map<String, String>> samconfigOverrides(String samconfig) {
    Map<String, Map<String, String>> byStage = new TreeMap<>();
    String stage = null;
    for (String line : samconfig.split("\n")) {
      Matcher section = Pattern.compile("\\[(\\w+)\\.deploy\\.parameters]").matcher(line);
      Matcher overrides = Pattern.compile("parameter_overrides\\s*=\\s*\"(.*)\"").matcher(line);
      if (line.startsWith("[")) {
        stage = section.matches() ? section.group(1) : null;
      } else if (stage != null && overrides.matches()) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : overrides.group(1).split(" ")) {
          pairs.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        byStage.put(stage, pairs);
      }
    }
    return byStage;
  }

  /** samconfig.toml with its REPLACE_ME placeholders filled with fake values of the right shape. */
  private static String filledSamconfig() throws IOException {
    return Files.readString(Path.of("samconfig.toml")).replace("REPLACE_ME_64_HEX", "ab".repeat(32)).replace("REPLACE_ME", "1234567890");
  }

  /**
   * What one deploy feeds tools/deploy-digest.sh: the jar, the template, the stack's parameters before it (which
   * CloudFormation keeps for any not passed) and the overrides it passes.
   */
  private record DeployInputs(String jar, String template, Map<String, String> previous, Map<String, String> overrides) {
    /**
     * A later deploy of the prod stack: samconfig.toml's overrides; memory and retention as the stack has them, and
     * the DeployDigest parameter a stack deployed before the digest moved into the package still has.
     */
    static DeployInputs prodLike() throws IOException {
      Map<String, String> overrides = new LinkedHashMap<>(samconfigOverrides(filledSamconfig()).get("prod"));
      Map<String, String> previous = new LinkedHashMap<>(overrides);
      previous.putAll(Map.of("MemorySize", "1769", "TraceRetentionDays", "7", "LogRetentionDays", "30",
          "DeployDigest", "0".repeat(64)));
      return new DeployInputs("fake jar", Files.readString(Path.of("template.yaml")), previous, overrides);
    }

    DeployInputs withOverride(String name, String value) {
      Map<String, String> changed = new LinkedHashMap<>(overrides);
      changed.put(name, value);
      return new DeployInputs(jar, template, previous, changed);
    }

    DeployInputs withoutOverride(String name) {
      Map<String, String> changed = new LinkedHashMap<>(overrides);
      changed.remove(name);
      return new DeployInputs(jar, template, previous, changed);
    }

    DeployInputs withPrevious(String name, String value) {
      Map<String, String> changed = new LinkedHashMap<>(previous);
      changed.put(name, value);
      return new DeployInputs(jar, template, changed, overrides);
    }

    DeployInputs withJar(String otherJar) {
      return new DeployInputs(otherJar, template, previous, overrides);
    }

    DeployInputs withTemplate(String otherTemplate) {
      return new DeployInputs(jar, otherTemplate, previous, overrides);
    }
  }

  /**
   * The AWS CLI calls tools/deploy.sh and tools/check-live.sh make, answered from the files in $FAKE_STATE. A
   * function configuration is printed as the AWS CLI prints check-live's query with {@code --output json}: pretty
   * JSON, the environment of $LATEST in another order than a version's (the service promises no order).
   */
  private static final String FAKE_AWS = """
      #!/usr/bin/env bash
      set -euo pipefail
      # A configuration file: the package's key on the first line, then the stack's parameters, name<TAB>value.
      render() {
        local order=$2
        echo "{"
        echo "    \\"code\\": \\"$(head -1 "$1")\\","
        echo "    \\"environment\\": {"
        tail -n +2 "$1" | LC_ALL=C sort $order | awk -F '\\t' '{ printf "%s        \\"%s\\": \\"%s\\"", (NR > 1 ? ",\\n" : ""), $1, $2 }'
        echo
        echo "    },"
        echo "    \\"memory\\": 1769,"
        echo "    \\"snapstart\\": \\"PublishedVersions\\","
        echo "    \\"layers\\": null"
        echo "}"
      }
      if [ "$2" = "${FAKE_DENY:-}" ]; then
        echo "An error occurred (AccessDeniedException) when calling the $2 operation: not authorized" >&2
        exit 254
      fi
      # What AWS CLI v1 prints on an old Python, on success too.
      [ -z "${FAKE_WARN:-}" ] || echo "PythonDeprecationWarning: Boto3 will no longer support Python 3.8" >&2
      case "$1 $2" in
        "cloudformation describe-stacks")
          if [ ! -f "$FAKE_STATE/parameters" ]; then
            echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2
            exit 254
          fi
          case "$*" in
            *StackStatus*) echo "${FAKE_STATUS:-UPDATE_COMPLETE}" ;;
            *Outputs*) if [ -n "${FAKE_NO_OUTPUTS:-}" ]; then echo None; else echo valine-orchestrator-prod; fi ;;
            *) cat "$FAKE_STATE/parameters" ;;
          esac ;;
        "cloudformation describe-stack-resources")
          if [ -f "$FAKE_STATE/stack-version" ]; then
            echo "arn:aws:lambda:eu-west-1:123456789012:function:valine-orchestrator-prod:$(cat "$FAKE_STATE/stack-version")"
          fi ;;
        "lambda get-alias")
          [ -f "$FAKE_STATE/live" ] || { echo "An error occurred (ResourceNotFoundException): Alias not found" >&2; exit 254; }
          cat "$FAKE_STATE/live" ;;
        "lambda get-function-configuration")
          case "$*" in
            *"code: CodeSha256, environment: Environment.Variables, memory: MemorySize"*"--output json"*) ;;
            *"--output json"*"code: CodeSha256, environment: Environment.Variables, memory: MemorySize"*) ;;
            *) echo "fake aws: not check-live's query: $*" >&2; exit 1 ;;
          esac
          case "$*" in
            *"--qualifier live "*) render "$FAKE_STATE/config-$(cat "$FAKE_STATE/live")" "" ;;
            *'--qualifier $LATEST '*) render "$FAKE_STATE/config-latest" -r ;;
            *) echo "fake aws: unexpected: $*" >&2; exit 1 ;;
          esac ;;
        *) echo "fake aws: unexpected call: $*" >&2; exit 1 ;;
      esac
      """;

  /**
   * {@code sam build} and {@code sam deploy}, as SAM and CloudFormation carry them out for template.yaml: {@code sam build}
   * runs the real Makefile from a scratch directory; {@code sam deploy} takes samconfig.toml's overrides for the
   * environment unless {@code --parameter-overrides} replaces them, the stack keeps a parameter not passed, $LATEST
   * takes the package and the parameters, and a version is published (and {@code live} moved to it) only when the
   * package's S3 key, a hash of its files, changed. Real SAM also publishes when the template's unresolved text
   * changes; the fake leaves that out, so what it publishes, SAM publishes too. FAKE_PUBLISH=never stands for a
   * deploy that publishes nothing.
   */
  private static final String FAKE_SAM = """
      #!/usr/bin/env bash
      set -euo pipefail -f
      echo "$*" >>"$FAKE_STATE/sam-calls"
      project=$PWD
      command=$1
      shift
      if [ "$command" = build ]; then
        [ "$*" = "" ] || [ "$*" = "--template-file template.yaml --build-dir .aws-sam/build" ] || { echo "fake sam: unexpected: $*" >&2; exit 1; }
        rm -rf .aws-sam/build scratch
        mkdir -p .aws-sam/build/InteractionsFunction scratch
        (cd scratch && ARTIFACTS_DIR="$project/.aws-sam/build/InteractionsFunction" make --makefile "$project/Makefile" build-InteractionsFunction)
        sed 's|CodeUri: \\.$|CodeUri: InteractionsFunction|' template.yaml >.aws-sam/build/template.yaml
        exit 0
      fi
      [ "$command" = deploy ] || { echo "fake sam: unexpected: $command" >&2; exit 1; }
      printf '%s\\n' deploy "$@" >"$FAKE_STATE/sam-args"
      env='' config=samconfig.toml template=.aws-sam/build/template.yaml overrides='' given=false
      while [ $# -gt 0 ]; do
        case "$1" in
          --config-env) env=$2 ;;
          --config-file) config=$2 ;;
          --template-file) template=$2 ;;
          --parameter-overrides) overrides=$2 given=true ;;
          *) echo "fake sam: unexpected: $1" >&2; exit 1 ;;
        esac
        shift 2
      done
      if ! $given; then
        overrides=$(awk -v section="[$env.deploy.parameters]" '/^\\[/ { inside = ($0 == section) }
          inside && /^parameter_overrides/ { sub(/^[^=]*= *"/, ""); sub(/" *$/, ""); print; exit }' "$config")
      fi
      package="$(dirname "$template")/$(awk '$1 == "CodeUri:" { print $2; exit }' "$template")"
      (cd "$package" && find . -type f | LC_ALL=C sort) >"$FAKE_STATE/shipped"
      cp "$package/META-INF/valine-orchestrator/deploy-inputs.txt" "$FAKE_STATE/shipped-inputs"
      key=$(cd "$package" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
      touch "$FAKE_STATE/parameters"
      for pair in $overrides; do
        name=${pair%%=*} value=${pair#*=}
        [ "$value" != '""' ] || value=
        awk -F '\\t' -v name="$name" '$1 != name' "$FAKE_STATE/parameters" >"$FAKE_STATE/parameters.new"
        printf '%s\\t%s\\n' "$name" "$value" >>"$FAKE_STATE/parameters.new"
        mv "$FAKE_STATE/parameters.new" "$FAKE_STATE/parameters"
      done
      { echo "$key"; cat "$FAKE_STATE/parameters"; } >"$FAKE_STATE/config-latest"
      if [ "${FAKE_PUBLISH:-}" != never ] && [ "$key" != "$(cat "$FAKE_STATE/published-key" 2>/dev/null || true)" ]; then
        version=$(( $(cat "$FAKE_STATE/versions" 2>/dev/null || echo 0) + 1 ))
        echo "$version" >"$FAKE_STATE/versions"
        cp "$FAKE_STATE/config-latest" "$FAKE_STATE/config-$version"
        echo "$key" >"$FAKE_STATE/published-key"
        echo "$version" >"$FAKE_STATE/stack-version"
        echo "$version" >"$FAKE_STATE/live"
      fi
      """;
  private static final Map<String, String> DEPLOYED_JAR = Map.of(HANDLER_CLASS, "handler", "META-INF/services/x.Y", "x.Z");

  /**
   * A project to deploy: {@link #writeProject} with the real scripts, template.yaml and samconfig.toml (its
   * placeholders filled), and fake {@code sam} and {@code aws} commands in fake-bin.
   */
  private static void writeDeployableProject(Path root) throws IOException {
    writeProject(root, DEPLOYED_JAR);
    Files.createDirectories(root.resolve("tools"));
    for (String file : List.of("tools/deploy.sh", "tools/deploy-digest.sh", "tools/check-live.sh", "tools/stack.sh", "template.yaml")) {
      Files.copy(Path.of(file), root.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(root.resolve("samconfig.toml"), filledSamconfig());
    Files.writeString(root.resolve("fake-bin/aws"), FAKE_AWS);
    Files.writeString(root.resolve("fake-bin/sam"), FAKE_SAM);
    for (String tool : List.of("aws", "sam")) {
      Files.setPosixFilePermissions(root.resolve("fake-bin").resolve(tool), PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Runs {@code command} in the project with the fakes first on PATH. */
  private static Run inProject(Path root, Map<String, String> environment, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = withFakes(new ProcessBuilder(command).directory(root.toFile()), root);
    builder.environment().putAll(environment);
    return run(builder);
  }

  /** A newly built jar of these entries: written after the sources, and after any jar before it. */
  private static void buildJar(Path root, Map<String, String> entries, int hoursAfterTheSources) throws IOException {
    writeJar(root.resolve("target/valine-orchestrator.jar"), entries);
    touch(root.resolve("target/valine-orchestrator.jar"), SOURCES_TIME.plus(Duration.ofHours(hoursAfterTheSources)));
  }

  /** tools/deploy.sh end to end, against the fake {@code sam} and {@code aws} ({@link #FAKE_SAM}). */
  @Nested
  class DeployScript {
    @TempDir
    Path root;

    @BeforeEach
    void writeAProjectWithAnUpToDateJarAndFakeSamAwsAndMaven() throws IOException {
      writeDeployableProject(root);
    }

    private Run deploy(String... args) throws IOException, InterruptedException {
      return deploy(Map.of(), args);
    }

    private Run deploy(Map<String, String> environment, String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("bash", "tools/deploy.sh"));
      command.addAll(List.of(args));
      return inProject(root, environment, command.toArray(String[]::new));
    }

    private List<String> samArguments() throws IOException {
      return Files.readAllLines(root.resolve("fake-state/sam-args"));
    }

    /** The Key=Value pairs the last {@code sam deploy} was given. */
    private List<String> overridesPassed() throws IOException {
      List<String> arguments = samArguments();
      return List.of(arguments.get(arguments.size() - 1).split(" "));
    }

    @Test
    void firstDeployCreatesTheStackWithLiveOnItsFirstVersion() throws Exception {
      Run first = deploy("prod");

      assertEquals(0, first.exitCode(), first.output());
      assertTrue(first.output().contains("live moved from version none to 1"), first.output());
      assertTrue(first.output().contains("check-live: live (version 1) runs the function's current code and configuration"),
          first.output());
    }

    @Test
    void passesSamconfigOverridesAndTheGivenOnesAndRecordsTheirDigestInThePackage() throws Exception {
      Run run = deploy("prod", "TraceRetentionDays=14", "MemorySize=2048");

      assertEquals(0, run.exitCode(), run.output());
      List<String> arguments = samArguments();
      assertEquals(List.of("deploy", "--config-env", "prod", "--config-file"), arguments.subList(0, 4));
      assertEquals(List.of("--template-file", "--parameter-overrides"), List.of(arguments.get(5), arguments.get(7)));
      Map<String, String> expected = new LinkedHashMap<>(samconfigOverrides(filledSamconfig()).get("prod"));
      expected.put("TraceRetentionDays", "14");
      expected.put("MemorySize", "2048");
      assertEquals(expected.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList(), overridesPassed());
      String recorded = Files.readString(root.resolve("fake-state/shipped-inputs"));
      assertTrue(recorded.matches("[0-9a-f]{64}  deploy digest: [^\\n]+\\n"), recorded);
      assertTrue(run.output().contains("deploy digest " + recorded.substring(0, 64)), run.output());
    }

    @Test
    void aFlagOnlyDeployMovesLiveAndRepeatingItLeavesLiveWhereItIs() throws Exception {
      deploy("prod");

      Run flag = deploy("prod", "AlertChannelId=999999999999999999");
      Run again = deploy("prod", "AlertChannelId=999999999999999999");

      assertEquals(0, flag.exitCode(), flag.output());
      assertTrue(flag.output().contains("live moved from version 1 to 2"), flag.output());
      assertEquals(0, again.exitCode(), again.output());
      assertTrue(again.output().contains("live stays on version 2: nothing the function runs changed"), again.output());
    }

    @Test
    void aParameterPassedOnceIsKeptAtTheNextPlainDeploy() throws Exception {
      deploy("prod");

      Run changed = deploy("prod", "TraceRetentionDays=14");
      Run next = deploy("prod");

      assertTrue(changed.output().contains("live moved from version 1 to 2"), changed.output());
      assertEquals(0, next.exitCode(), next.output());
      assertTrue(next.output().contains("live stays on version 2"), "the stack keeps the value, so nothing changed: " + next.output());
    }

    @Test
    void turningAlertsOffPassesTheEmptyChannelQuotedAsSamReadsIt() throws Exception {
      deploy("prod");

      Run off = deploy("prod", "AlertChannelId=");

      assertTrue(overridesPassed().contains("AlertChannelId=\"\""), samArguments().toString());
      assertTrue(off.output().contains("live moved from version 1 to 2"), off.output());
    }

    @Test
    void refusesToDeployOverARollbackByHandUnlessToldToRollForward() throws Exception {
      deploy("prod");
      deploy("prod", "TraceRetentionDays=14");
      Files.writeString(root.resolve("fake-state/live"), "1\n");
      buildJar(root, Map.of(HANDLER_CLASS, "handler, fixed", "META-INF/services/x.Y", "x.Z"), 2);

      Run refused = deploy("prod");
      Run forward = deploy(Map.of("ROLL_FORWARD", "1"), "prod");

      assertEquals(1, refused.exitCode(), refused.output());
      assertTrue(refused.output().contains("live is on version 1, but the stack's version is 2: live was pointed there by hand"),
          refused.output());
      assertTrue(refused.output().contains("ROLL_FORWARD=1 tools/deploy.sh prod"), refused.output());
      assertEquals(0, forward.exitCode(), forward.output());
      assertTrue(forward.output().contains("live moved from version 1 to 3"), forward.output());
    }

    @Test
    void saysSoWhenLiveStaysRolledBackBecauseTheDeployChangedNothing() throws Exception {
      deploy("prod");
      deploy("prod", "TraceRetentionDays=14");
      Files.writeString(root.resolve("fake-state/live"), "1\n");

      Run run = deploy(Map.of("ROLL_FORWARD", "1"), "prod", "TraceRetentionDays=14");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("live (version 1) does not run the function's current code and configuration"), run.output());
      assertTrue(run.output().contains("$LATEST: \"TraceRetentionDays\": \"14\""), "what differs: " + run.output());
      assertTrue(run.output().contains("The stack's version is 2, not live's: live was pointed at version 1 by hand"), run.output());
      assertTrue(run.output().contains("To undo the rollback instead (live runs version 2"), run.output());
      assertTrue(run.output().contains("--function-name valine-orchestrator-prod --name live --function-version 2"), run.output());
    }

    @Test
    void aVersionLeftByAnUpdateThatRolledBackIsNotTakenForARollbackByHand() throws Exception {
      deploy("prod");
      // An update published version 2, then failed and rolled back: the stack and live stay on 1, version 2 remains.
      Files.writeString(root.resolve("fake-state/versions"), "2\n");

      Run run = deploy("prod", "TraceRetentionDays=14");

      assertEquals(0, run.exitCode(), run.output());
      assertTrue(run.output().contains("live moved from version 1 to 3"), run.output());
    }

    @Test
    void aWarningTheCliPrintsOnSuccessIsNotTakenForTheVersion() throws Exception {
      deploy("prod");

      Run run = deploy(Map.of("FAKE_WARN", "1"), "prod", "TraceRetentionDays=14");

      assertEquals(0, run.exitCode(), run.output());
      assertTrue(run.output().contains("live is on version 1\n"), run.output());
      assertTrue(run.output().contains("live moved from version 1 to 2"), run.output());
    }

    @Test
    void refusesAStackWithoutItsFunctionBeforeBuilding() throws Exception {
      deploy("prod");
      Files.delete(root.resolve("fake-state/sam-calls"));

      Run run = deploy(Map.of("FAKE_NO_OUTPUTS", "1"), "prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("stack valine-orchestrator-prod (UPDATE_COMPLETE) has no FunctionName output"), run.output());
      assertFalse(Files.exists(root.resolve("fake-state/sam-calls")), "refused before sam build");
    }

    @Test
    void refusesAStackWhoseFirstCreateFailedAndSaysHowToDeleteIt() throws Exception {
      Files.writeString(root.resolve("fake-state/parameters"), "");

      Run run = deploy(Map.of("FAKE_STATUS", "ROLLBACK_COMPLETE"), "prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("stack valine-orchestrator-prod is ROLLBACK_COMPLETE: its first create failed"), run.output());
      assertTrue(run.output().contains("aws cloudformation delete-stack --region eu-west-1 --stack-name valine-orchestrator-prod"),
          run.output());
    }

    @Test
    void waitsForAStackThatIsBusy() throws Exception {
      deploy("prod");

      Run run = deploy(Map.of("FAKE_STATUS", "UPDATE_IN_PROGRESS"), "prod", "TraceRetentionDays=14");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("stack valine-orchestrator-prod is UPDATE_IN_PROGRESS: wait for it to settle"), run.output());
    }

    @Test
    void createsAStackWhoseFirstChangeSetWasDeclined() throws Exception {
      Files.writeString(root.resolve("fake-state/parameters"), "");

      Run run = deploy(Map.of("FAKE_STATUS", "REVIEW_IN_PROGRESS"), "prod");

      assertEquals(0, run.exitCode(), run.output());
      assertTrue(run.output().contains("live moved from version none to 1"), run.output());
    }

    @Test
    void refusesAParameterTheTemplateDoesNotHave() throws Exception {
      Run run = deploy("prod", "TraceRetentionDay=14");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("TraceRetentionDay is not a parameter of template.yaml: check its spelling"), run.output());
      assertFalse(Files.exists(root.resolve("fake-state/sam-args")), "nothing was deployed");
    }

    @Test
    void saysItCouldNotCheckLiveWhenTheAliasCannotBeRead() throws Exception {
      deploy("prod");

      Run run = deploy(Map.of("FAKE_DENY", "get-alias"), "prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("AccessDeniedException"), "the cause, not a missing alias: " + run.output());
      assertTrue(run.output().contains("cannot read the alias live of valine-orchestrator-prod"), run.output());
    }

    @Test
    void failsWhenLiveDoesNotRunWhatWasDeployed() throws Exception {
      deploy("prod");

      Run run = deploy(Map.of("FAKE_PUBLISH", "never"), "prod", "TraceRetentionDays=14");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("live (version 1) does not run the function's current code and configuration"), run.output());
      assertTrue(run.output().contains("A deploy changed $LATEST without publishing a version"), run.output());
      assertTrue(run.output().contains("deploy: live does not run this deploy (above)"), run.output());
    }

    @Test
    void refusesSamconfigPlaceholdersBeforeDeploying() throws Exception {
      Files.copy(Path.of("samconfig.toml"), root.resolve("samconfig.toml"), StandardCopyOption.REPLACE_EXISTING);

      Run run = deploy("prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("replace the REPLACE_ME values in samconfig.toml"), run.output());
      assertFalse(Files.exists(root.resolve("fake-state/sam-calls")), "sam was not run, not even to build");
    }

    @Test
    void refusesTheDeployDigestAnOlderSamconfigStillPasses() throws Exception {
      Files.writeString(root.resolve("samconfig.toml"), filledSamconfig().replace("parameter_overrides = \"",
          "parameter_overrides = \"DeployDigest=computed-by-tools-deploy.sh "));

      Run run = deploy("prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("DeployDigest is no longer a parameter of template.yaml: remove it from samconfig.toml"),
          run.output());
      assertFalse(Files.exists(root.resolve("fake-state/sam-calls")), "sam was not run");
    }

    @Test
    void buildsWithSamEveryTimeThenDeploysTheBuiltTemplateWithoutBuildingTheJarAgain() throws Exception {
      writeFiles(root.resolve(".aws-sam/build/InteractionsFunction"), Map.of("Stale.class", "from an older sam build"));

      Run run = deploy("prod");

      assertEquals(0, run.exitCode(), run.output());
      List<String> calls = Files.readAllLines(root.resolve("fake-state/sam-calls"));
      assertEquals(2, calls.size(), calls.toString());
      assertTrue(calls.get(0).startsWith("build ") && calls.get(1).startsWith("deploy "), calls.toString());
      List<String> arguments = samArguments();
      assertEquals(root.resolve("samconfig.toml").toRealPath(), Path.of(arguments.get(4)).toRealPath(),
          "SAM looks for samconfig.toml next to the template it is given, so deploy.sh names it");
      assertEquals(root.resolve(".aws-sam/build/template.yaml").toRealPath(), Path.of(arguments.get(6)).toRealPath());
      assertEquals(List.of("./META-INF/services/x.Y", "./" + DEPLOY_INPUTS, "./" + HANDLER_CLASS),
          Files.readAllLines(root.resolve("fake-state/shipped")), "the jar's files and the inputs, and nothing an older build left");
      assertFalse(Files.exists(root.resolve("fake-state/mvn-args")), "the jar was up to date: Maven did not run");
    }

    @Test
    void aNewJarMovesLiveAndTheSameJarBuiltAgainDoesNot() throws Exception {
      deploy("prod");

      buildJar(root, Map.of(HANDLER_CLASS, "handler, changed", "META-INF/services/x.Y", "x.Z"), 2);
      Run changed = deploy("prod");
      buildJar(root, Map.of(HANDLER_CLASS, "handler, changed", "META-INF/services/x.Y", "x.Z"), 3);
      Run rebuilt = deploy("prod");

      assertEquals(0, changed.exitCode(), changed.output());
      assertTrue(changed.output().contains("live moved from version 1 to 2"), changed.output());
      assertEquals(0, rebuilt.exitCode(), rebuilt.output());
      assertTrue(rebuilt.output().contains("live stays on version 2"), "same files, newer jar: " + rebuilt.output());
    }

    @Test
    void refusesAPackageWithoutTheHandlerClass() throws Exception {
      buildJar(root, Map.of("META-INF/services/x.Y", "x.Z"), 2);

      Run run = deploy("prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("sam build left no .aws-sam/build/InteractionsFunction/" + HANDLER_CLASS), run.output());
      assertFalse(Files.exists(root.resolve("fake-state/sam-args")), "nothing was deployed");
    }
  }

  /**
   * SAM's own way, {@code sam build && sam deploy --config-env <stage>}, against the same fakes: a change to the code,
   * the template or samconfig.toml reaches {@code live}; a value given only on sam's command line does not, and
   * tools/check-live.sh says so and tools/deploy.sh publishes it.
   */
  @Nested
  class BareSamDeploy {
    @TempDir
    Path root;

    @BeforeEach
    void writeAProjectWithAnUpToDateJarAndFakeSamAwsAndMaven() throws IOException {
      writeDeployableProject(root);
    }

    /** {@code sam build && sam deploy --config-env prod [more]}. */
    private void samBuildAndDeploy(String... more) throws Exception {
      // By path: a child process finds its program on the parent's PATH, not on the one it is given.
      String sam = root.resolve("fake-bin/sam").toString();
      Run build = inProject(root, Map.of(), sam, "build");
      assertEquals(0, build.exitCode(), build.output());
      List<String> command = new ArrayList<>(List.of(sam, "deploy", "--config-env", "prod"));
      command.addAll(List.of(more));
      Run deploy = inProject(root, Map.of(), command.toArray(String[]::new));
      assertEquals(0, deploy.exitCode(), deploy.output());
    }

    private Run checkLive() throws Exception {
      return inProject(root, Map.of(), "bash", "tools/check-live.sh", "prod");
    }

    private String live() throws IOException {
      return Files.readString(root.resolve("fake-state/live")).strip();
    }

    @Test
    void buildsAndDeploysWithLiveOnTheFirstVersion() throws Exception {
      samBuildAndDeploy();

      Run check = checkLive();

      assertEquals("1", live());
      assertEquals(0, check.exitCode(), check.output());
      assertTrue(check.output().contains("live (version 1) runs the function's current code and configuration"), check.output());
    }

    @Test
    void aParameterEditedInSamconfigReachesLive() throws Exception {
      samBuildAndDeploy();
      Files.writeString(root.resolve("samconfig.toml"), filledSamconfig().replace("EnableAdminWrites=false",
          "EnableAdminWrites=false TraceRetentionDays=14"));

      samBuildAndDeploy();

      assertEquals("2", live());
      assertEquals(0, checkLive().exitCode());
    }

    @Test
    void aNewJarReachesLiveAndTheSameInputsPublishNothing() throws Exception {
      samBuildAndDeploy();
      samBuildAndDeploy();
      assertEquals("1", live(), "nothing changed");

      buildJar(root, Map.of(HANDLER_CLASS, "handler, changed", "META-INF/services/x.Y", "x.Z"), 2);
      samBuildAndDeploy();

      assertEquals("2", live());
      assertEquals(0, checkLive().exitCode());
    }

    @Test
    void aValueGivenOnlyOnSamsCommandLineLeavesLiveBehindUntilDeployShPublishesIt() throws Exception {
      samBuildAndDeploy();
      samBuildAndDeploy("--parameter-overrides", "TraceRetentionDays=14");

      Run behind = checkLive();
      Run deploy = inProject(root, Map.of(), "bash", "tools/deploy.sh", "prod");
      Run after = checkLive();

      assertEquals(1, behind.exitCode(), behind.output());
      assertTrue(behind.output().contains("live (version 1) does not run the function's current code and configuration"),
          behind.output());
      assertTrue(behind.output().contains("$LATEST: \"TraceRetentionDays\": \"14\""), behind.output());
      assertTrue(behind.output().contains("tools/deploy.sh prod"), behind.output());
      assertEquals(0, deploy.exitCode(), deploy.output());
      assertTrue(deploy.output().contains("live moved from version 1 to 2"), deploy.output());
      assertEquals(0, after.exitCode(), after.output());
      assertTrue(Files.readString(root.resolve("fake-state/config-2")).contains("TraceRetentionDays\t14"),
          "live runs the value the stack kept");
    }

    @Test
    void aSamconfigEditDeployedWithAnOlderBuildLeavesLiveBehindAndCheckLiveSaysToBuild() throws Exception {
      samBuildAndDeploy();
      Files.writeString(root.resolve("samconfig.toml"), filledSamconfig().replace("EnableAdminWrites=false",
          "EnableAdminWrites=false TraceRetentionDays=14"));
      Run deploy = inProject(root, Map.of(), root.resolve("fake-bin/sam").toString(), "deploy", "--config-env", "prod");

      Run behind = checkLive();

      assertEquals(0, deploy.exitCode(), deploy.output());
      assertEquals(1, behind.exitCode(), behind.output());
      assertTrue(behind.output().contains("was built before template.yaml or samconfig.toml last changed: run sam build first"),
          behind.output());
    }

    @Test
    void checkLiveNeverPrintsATokenAVersionStillHoldsButShowsTheSecretsName() throws Exception {
      samBuildAndDeploy();
      String token = "fake-" + "bot-token-" + "x".repeat(12);
      Path live = root.resolve("fake-state/config-1");
      Path latest = root.resolve("fake-state/config-latest");
      // The fake's environment is the stack's parameters; these two are variables as the function has them.
      Files.writeString(live, Files.readString(live) + "DISCORD_BOT_TOKEN\t" + token + "\nSECRET_ID\tvaline/old\n");
      Files.writeString(latest, Files.readString(latest) + "SECRET_ID\tvaline/prod\n");

      Run check = checkLive();

      assertEquals(1, check.exitCode(), check.output());
      assertFalse(check.output().contains(token), check.output());
      assertTrue(check.output().contains("live:    \"DISCORD_BOT_TOKEN\": (value not shown)"), check.output());
      assertTrue(check.output().contains("live:    \"SECRET_ID\": \"valine/old\""), check.output());
      assertTrue(check.output().contains("$LATEST: \"SECRET_ID\": \"valine/prod\""), check.output());
    }

    @Test
    void checkLiveSaysSoWhenTheFunctionHasNoAliasLive() throws Exception {
      samBuildAndDeploy();
      Files.delete(root.resolve("fake-state/live"));

      Run check = checkLive();

      assertEquals(2, check.exitCode(), check.output());
      assertTrue(check.output().contains("function valine-orchestrator-prod has no alias live: is the stack deployed?"), check.output());
    }

    @Test
    void checkLiveWillNotCallItARollbackWhileTheStackIsBusy() throws Exception {
      samBuildAndDeploy();
      samBuildAndDeploy("--parameter-overrides", "TraceRetentionDays=14");

      Run check = inProject(root, Map.of("FAKE_STATUS", "UPDATE_IN_PROGRESS"), "bash", "tools/check-live.sh", "prod");

      assertEquals(2, check.exitCode(), check.output());
      assertTrue(check.output().contains("stack valine-orchestrator-prod is UPDATE_IN_PROGRESS: wait for it to settle"), check.output());
      assertFalse(check.output().contains("by hand"), check.output());
    }

    @Test
    void checkLiveNeedsAStageAndADeployedStack() throws Exception {
      Run usage = inProject(root, Map.of(), "bash", "tools/check-live.sh");
      Run unknown = inProject(root, Map.of(), "bash", "tools/check-live.sh", "qa");
      Run notDeployed = checkLive();

      assertEquals(2, usage.exitCode(), usage.output());
      assertTrue(usage.output().contains("usage: tools/check-live.sh <dev|staging|prod>"), usage.output());
      assertEquals(2, unknown.exitCode(), unknown.output());
      assertTrue(unknown.output().contains("unknown stage 'qa'"), unknown.output());
      assertEquals(2, notDeployed.exitCode(), notDeployed.output());
    }
  }
}
