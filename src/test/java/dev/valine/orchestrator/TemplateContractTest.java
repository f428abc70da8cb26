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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 * reaches the {@code live} alias (SAM publishes a version only when the version's logical id changes, which
 * template.yaml ties to the digest tools/deploy.sh computes), and the Makefile {@code sam build} runs to package the
 * function. {@link #TEMPLATE} reads CloudFormation's short-form tags as plain values, so {@code !Ref Stage} reads as
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

  /** Every parameter the function's configuration depends on, Globals included; the digest's own excepted. */
  private static Set<String> parametersTheFunctionUses() {
    Set<String> used = parametersIn(CFN_PROPERTIES);
    used.addAll(parametersIn(CFN.path("Globals").path("Function")));
    used.remove("DeployDigest");
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
  void publishesEachVersionUnderTheDeployDigestThroughAPlainRef() {
    JsonNode digest = CFN.path("Parameters").path("DeployDigest");

    assertEquals("live", CFN_PROPERTIES.path("AutoPublishAlias").asText());
    // SAM resolves only a Ref to a parameter here: a !Sub or !Join fails the transform ("must be a string").
    assertEquals(Jackson.object().put("Ref", "DeployDigest"), CFN_PROPERTIES.path("AutoPublishCodeSha256"));
    assertFalse(digest.has("Default"), "a default would let a deploy run without a digest");
    assertEquals("[0-9a-f]{64}", digest.path("AllowedPattern").asText(), "a SHA-256 in the characters a logical id allows");
  }

  @Test
  void descriptionLeavesRoomForTheDigestSamAppends() {
    JsonNode description = CFN_PROPERTIES.path("Description");

    // SAM appends " " + AutoPublishCodeSha256; Lambda takes 256 characters at most.
    // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-Description
    assertTrue(description.isTextual(), "a plain string: " + description);
    assertTrue(description.asText().length() + 1 + 64 <= 256, description.asText());
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
    String lastVersion = versionId(dir, last);

    for (String parameter : parametersTheFunctionUses()) {
      String because = "a deploy that changes only " + parameter + ", which the function's configuration uses, would leave `live`"
          + " on the old configuration: the published version's logical id does not depend on it";
      assertNotEquals(lastVersion, versionId(dir, last.withOverride(parameter, "changed-" + parameter)),
          because + " (passed by the deploy)");
      DeployInputs kept = last.withoutOverride(parameter).withPrevious(parameter, "one");
      assertNotEquals(versionId(dir, kept), versionId(dir, kept.withPrevious(parameter, "two")),
          because + " (not passed, so CloudFormation keeps the stack's value)");
    }
  }

  @Test
  void aFlagOnlyDeployPublishesANewVersion(@TempDir Path dir) throws Exception {
    // ENABLE_ALERTS is !If [AlertsOn, "true", "false"], and AlertsOn is AlertChannelId != "".
    DeployInputs alertsOff = DeployInputs.prodLike().withOverride("AlertChannelId", "");
    DeployInputs alertsOn = alertsOff.withOverride("AlertChannelId", "123456789012345678");

    assertNotEquals(versionId(dir, alertsOff), versionId(dir, alertsOn));
  }

  @Test
  void aDeployThatNamesAnotherSecretPublishesANewVersion(@TempDir Path dir) throws Exception {
    DeployInputs before = DeployInputs.prodLike();

    // A rotation changes the secret's value, which the function reads at run time: no deploy. Another secret is one.
    assertNotEquals(versionId(dir, before), versionId(dir, before.withOverride("SecretName", "valine/prod-2")));
  }

  @Test
  void aMemoryOnlyDeployPublishesANewVersion(@TempDir Path dir) throws Exception {
    DeployInputs before = DeployInputs.prodLike();

    assertNotEquals(versionId(dir, before), versionId(dir, before.withOverride("MemorySize", "2048")));
  }

  @Test
  void aCodeOnlyOrTemplateOnlyDeployPublishesANewVersion(@TempDir Path dir) throws Exception {
    DeployInputs before = DeployInputs.prodLike();
    String flagInTheTemplate = before.template().replace("LOG_LEVEL: INFO", "LOG_LEVEL: DEBUG");

    assertNotEquals(before.template(), flagInTheTemplate);
    assertNotEquals(versionId(dir, before), versionId(dir, before.withJar("another fake jar")));
    assertNotEquals(versionId(dir, before), versionId(dir, before.withTemplate(flagInTheTemplate)));
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
    assertEquals(digest, digest(dir, last.withPrevious("DeployDigest", "f".repeat(64))), "the last digest is not an input");
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
  void aBareSamDeployIsRefusedInEveryStage() throws IOException {
    Map<String, Map<String, String>> overrides = samconfigOverrides(Files.readString(Path.of("samconfig.toml")));
    String digestPattern = CFN.path("Parameters").path("DeployDigest").path("AllowedPattern").asText();
    Set<String> required = new TreeSet<>();
    CFN.path("Parameters").fields().forEachRemaining(parameter -> {
      if (!parameter.getValue().has("Default") && !parameter.getKey().equals("DeployDigest")) {
        required.add(parameter.getKey());
      }
    });

    assertEquals(Set.of("dev", "staging", "prod"), overrides.keySet());
    overrides.forEach((stage, pairs) -> {
      // `sam deploy --config-env <stage>` passes this placeholder, which CloudFormation refuses; tools/deploy.sh replaces it.
      assertTrue(pairs.containsKey("DeployDigest"), stage);
      assertFalse(pairs.get("DeployDigest").matches(digestPattern), stage + ": " + pairs.get("DeployDigest"));
      assertTrue(pairs.keySet().containsAll(required), stage + " sets every parameter without a default: " + required);
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
   * jar of {@code jarEntries} built an hour later (so up to date), and a stand-in {@code mvn} in fake-bin.
   */
  private static void writeProject(Path root, Map<String, String> jarEntries) throws IOException {
    Files.copy(Path.of("Makefile"), root.resolve("Makefile"));
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
      assertEquals(new TreeMap<>(JAR), filesUnder(artifacts), "the jar's files at the package's root, the handler class too");
      assertFalse(mavenRan(), build.output());
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
      assertEquals(Map.of(HANDLER_CLASS, "rebuilt"), filesUnder(root.resolve("artifacts")));
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
      assertEquals(Map.of(HANDLER_CLASS, "rebuilt"), filesUnder(root.resolve("artifacts")));
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

  /** The logical id SAM gives the published version: the function's, "Version", and 10 characters of the digest. */
  // https://github.com/aws/serverless-application-model/blob/develop/samtranslator/translator/logical_id_generator.py
  private static String versionId(Path dir, DeployInputs inputs) throws Exception {
    return "InteractionsFunctionVersion" + digest(dir, inputs).substring(0, 10);
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
    assertTrue(digest.matches(CFN.path("Parameters").path("DeployDigest").path("AllowedPattern").asText()), digest);
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
    /** A later deploy of the prod stack: samconfig.toml's overrides; memory and retention as the stack has them. */
    static DeployInputs prodLike() throws IOException {
      Map<String, String> overrides = new LinkedHashMap<>(samconfigOverrides(filledSamconfig()).get("prod"));
      overrides.remove("DeployDigest");
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
   * tools/deploy.sh end to end, with fake {@code sam} and {@code aws} commands that behave as SAM and CloudFormation do
   * with template.yaml: {@code sam build} runs the real Makefile on a stand-in project, the stack keeps a parameter a
   * deploy does not pass, and a new version is published, and {@code live} moved to it, exactly when the version's
   * logical id (10 characters of DeployDigest) changes.
   */
  @Nested
  class DeployScript {
    private static final String FAKE_AWS = """
        #!/usr/bin/env bash
        # The AWS CLI calls tools/deploy.sh makes, answered from the files in $FAKE_STATE.
        set -euo pipefail
        case "$1 $2" in
          "cloudformation describe-stacks")
            if [ ! -f "$FAKE_STATE/parameters" ]; then
              echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2
              exit 254
            fi
            case "$*" in
              *Outputs*) echo valine-orchestrator-prod ;;
              *) cat "$FAKE_STATE/parameters" ;;
            esac ;;
          "lambda get-alias") cat "$FAKE_STATE/live" ;;
          "lambda get-function-configuration") cat "$FAKE_STATE/description-$(cat "$FAKE_STATE/live")" ;;
          *) echo "fake aws: unexpected call: $*" >&2; exit 1 ;;
        esac
        """;
    private static final String FAKE_SAM = """
        #!/usr/bin/env bash
        # `sam build`, and `sam deploy --config-env prod ... --parameter-overrides "K=V ..."`, as SAM and CloudFormation
        # carry them out. FAKE_PUBLISH=never stands for a template whose version id ignores the parameters.
        set -euo pipefail -f
        echo "$*" >>"$FAKE_STATE/sam-calls"
        project=$PWD
        if [ "$1" = build ]; then
          [ "$*" = "build --template-file template.yaml --build-dir .aws-sam/build" ] || { echo "fake sam: unexpected: $*" >&2; exit 1; }
          # SAM empties the build directory, runs the Makefile's target for the function from a scratch directory with
          # ARTIFACTS_DIR set, and writes the template with CodeUri naming the artifacts.
          rm -rf .aws-sam/build scratch
          mkdir -p .aws-sam/build/InteractionsFunction scratch
          (cd scratch && ARTIFACTS_DIR="$project/.aws-sam/build/InteractionsFunction" make --makefile "$project/Makefile" build-InteractionsFunction)
          sed 's|CodeUri: \\.$|CodeUri: InteractionsFunction|' template.yaml >.aws-sam/build/template.yaml
          exit 0
        fi
        printf '%s\\n' "$@" >"$FAKE_STATE/sam-args"
        [ "$1 $2 $3 $4 $5 $6 $7 $8" = "deploy --config-env prod --config-file $project/samconfig.toml --template-file \
        $project/.aws-sam/build/template.yaml --parameter-overrides" ] || { echo "fake sam: unexpected: $*" >&2; exit 1; }
        # What ships: the files of the directory the given template's CodeUri names.
        code=$(awk '$1 == "CodeUri:" { print $2; exit }' "$7")
        (cd "$(dirname "$7")/$code" && find . -type f | LC_ALL=C sort) >"$FAKE_STATE/shipped"
        touch "$FAKE_STATE/parameters"
        last=$(awk -F '\\t' '$1 == "DeployDigest" { print $2 }' "$FAKE_STATE/parameters")
        for pair in $9; do
          name=${pair%%=*} value=${pair#*=}
          [ "$value" != '""' ] || value=
          awk -F '\\t' -v name="$name" '$1 != name' "$FAKE_STATE/parameters" >"$FAKE_STATE/parameters.new"
          printf '%s\\t%s\\n' "$name" "$value" >>"$FAKE_STATE/parameters.new"
          mv "$FAKE_STATE/parameters.new" "$FAKE_STATE/parameters"
        done
        digest=$(awk -F '\\t' '$1 == "DeployDigest" { print $2 }' "$FAKE_STATE/parameters")
        if [ "${FAKE_PUBLISH:-}" != never ] && [ "${digest:0:10}" != "${last:0:10}" ]; then
          live=$(( $(cat "$FAKE_STATE/live" 2>/dev/null || echo 0) + 1 ))
          echo "Verifies, answers and defers Discord interactions; finishes deferred commands. $digest" >"$FAKE_STATE/description-$live"
          echo "$live" >"$FAKE_STATE/live"
        fi
        """;
    private static final Map<String, String> JAR = Map.of(HANDLER_CLASS, "handler", "META-INF/services/x.Y", "x.Z");

    @TempDir
    Path root;

    @BeforeEach
    void copyTheScriptsTemplateAndConfigIntoAProjectWithAnUpToDateJarAndFakeSamAwsAndMaven() throws IOException {
      writeProject(root, JAR);
      Files.createDirectories(root.resolve("tools"));
      for (String file : List.of("tools/deploy.sh", "tools/deploy-digest.sh", "template.yaml")) {
        Files.copy(Path.of(file), root.resolve(file));
      }
      Files.writeString(root.resolve("samconfig.toml"), filledSamconfig());
      Files.writeString(root.resolve("fake-bin/aws"), FAKE_AWS);
      Files.writeString(root.resolve("fake-bin/sam"), FAKE_SAM);
      for (String tool : List.of("aws", "sam")) {
        Files.setPosixFilePermissions(root.resolve("fake-bin").resolve(tool), PosixFilePermissions.fromString("rwx------"));
      }
    }

    private Run deploy(String... args) throws IOException, InterruptedException {
      return deploy(Map.of(), args);
    }

    private Run deploy(Map<String, String> environment, String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("bash", "tools/deploy.sh"));
      command.addAll(List.of(args));
      ProcessBuilder builder = withFakes(new ProcessBuilder(command).directory(root.toFile()), root);
      builder.environment().putAll(environment);
      return run(builder);
    }

    private List<String> samArguments() throws IOException {
      return Files.readAllLines(root.resolve("fake-state/sam-args"));
    }

    /** The Key=Value pairs the last {@code sam deploy} was given. */
    private List<String> overridesPassed() throws IOException {
      List<String> arguments = samArguments();
      return List.of(arguments.get(arguments.size() - 1).split(" "));
    }

    /** A newly built jar of these entries: written after the sources, and after any jar before it. */
    private void buildJar(Map<String, String> entries, int hoursAfterTheSources) throws IOException {
      writeJar(root.resolve("target/valine-orchestrator.jar"), entries);
      touch(root.resolve("target/valine-orchestrator.jar"), SOURCES_TIME.plus(Duration.ofHours(hoursAfterTheSources)));
    }

    @Test
    void firstDeployCreatesTheStackWithLiveOnItsFirstVersion() throws Exception {
      Run first = deploy("prod");

      assertEquals(0, first.exitCode(), first.output());
      assertTrue(first.output().contains("live moved from version none to 1"), first.output());
    }

    @Test
    void passesSamconfigOverridesAndTheGivenOnesWithTheComputedDigestInsteadOfThePlaceholder() throws Exception {
      Run run = deploy("prod", "TraceRetentionDays=14", "MemorySize=2048");

      assertEquals(0, run.exitCode(), run.output());
      List<String> arguments = samArguments();
      assertEquals(List.of("deploy", "--config-env", "prod", "--config-file"), arguments.subList(0, 4));
      assertEquals(List.of("--template-file", "--parameter-overrides"), List.of(arguments.get(5), arguments.get(7)));
      Map<String, String> expected = new LinkedHashMap<>(samconfigOverrides(filledSamconfig()).get("prod"));
      expected.remove("DeployDigest");
      expected.put("TraceRetentionDays", "14");
      expected.put("MemorySize", "2048");
      List<String> passed = new ArrayList<>(overridesPassed());
      String digest = passed.remove(passed.size() - 1);
      assertEquals(expected.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList(), passed);
      assertTrue(digest.matches("DeployDigest=[0-9a-f]{64}"), digest);
      assertTrue(run.output().contains(digest.substring("DeployDigest=".length())), run.output());
    }

    @Test
    void aFlagOnlyDeployMovesLiveAndRepeatingItLeavesLiveWhereItIs() throws Exception {
      deploy("prod");

      Run flag = deploy("prod", "AlertChannelId=999999999999999999");
      Run again = deploy("prod", "AlertChannelId=999999999999999999");

      assertEquals(0, flag.exitCode(), flag.output());
      assertTrue(flag.output().contains("live moved from version 1 to 2"), flag.output());
      assertEquals(0, again.exitCode(), again.output());
      assertTrue(again.output().contains("nothing the function runs changed; live stays on version 2"), again.output());
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
    void saysSoWhenADeployThatChangesNothingFindsLiveRolledBackByHand() throws Exception {
      deploy("prod");
      deploy("prod", "TraceRetentionDays=14");
      Files.writeString(root.resolve("fake-state/live"), "1\n");

      Run run = deploy("prod", "TraceRetentionDays=14");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("This deploy changed nothing, so it\n  did not move live"), run.output());
    }

    @Test
    void failsWhenLiveDoesNotRunWhatWasDeployed() throws Exception {
      deploy("prod");

      Run run = deploy(Map.of("FAKE_PUBLISH", "never"), "prod", "TraceRetentionDays=14");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("live (version 1) does not run this deploy"), run.output());
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
      assertEquals(List.of("./META-INF/services/x.Y", "./" + HANDLER_CLASS), Files.readAllLines(root.resolve("fake-state/shipped")),
          "the jar's files, and nothing an older build left");
      assertFalse(Files.exists(root.resolve("fake-state/mvn-args")), "the jar was up to date: Maven did not run");
    }

    @Test
    void aNewJarMovesLiveAndTheSameJarBuiltAgainDoesNot() throws Exception {
      deploy("prod");

      buildJar(Map.of(HANDLER_CLASS, "handler, changed", "META-INF/services/x.Y", "x.Z"), 2);
      Run changed = deploy("prod");
      buildJar(Map.of(HANDLER_CLASS, "handler, changed", "META-INF/services/x.Y", "x.Z"), 3);
      Run rebuilt = deploy("prod");

      assertEquals(0, changed.exitCode(), changed.output());
      assertTrue(changed.output().contains("live moved from version 1 to 2"), changed.output());
      assertEquals(0, rebuilt.exitCode(), rebuilt.output());
      assertTrue(rebuilt.output().contains("live stays on version 2"), "same files, newer jar: " + rebuilt.output());
    }

    @Test
    void refusesAPackageWithoutTheHandlerClass() throws Exception {
      buildJar(Map.of("META-INF/services/x.Y", "x.Z"), 2);

      Run run = deploy("prod");

      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().contains("sam build left no .aws-sam/build/InteractionsFunction/" + HANDLER_CLASS), run.output());
      assertFalse(Files.exists(root.resolve("fake-state/sam-args")), "nothing was deployed");
    }
  }
}
