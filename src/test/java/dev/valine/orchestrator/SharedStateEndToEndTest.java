package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two "containers" (two apps) sharing one DynamoDB table on dynalite, through the real handler. */
@ExtendWith(WarmAwsSdk.class)
class SharedStateEndToEndTest {
  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private final Signer signer = new Signer(Clock.systemUTC());
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom()).user("53908232506183680");
  private final MockWebServer github = new MockWebServer();
  private volatile int githubStatus = 200;
  private String table;



  @BeforeEach
  void start() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return githubStatus == 200
            ? GitHubFixtures.runsPage(GitHubFixtures.run(5, "completed", "success", Instant.now(), Duration.ofSeconds(42)))
            : GitHubFixtures.json(githubStatus, "{\"message\":\"Bad credentials\"}");
      }
    });
    github.start();
    table = Dynalite.uniqueTable("e2e");
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private App container(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service",
        "STATUS_WORKFLOWS", "deploy.yml", "TRACE_TABLE_NAME", table));
    env.putAll(extra);
    return new App(TestApps.config(signer, env), Clock.systemUTC(), App.defaultTracing(Map.of()), App.defaultLaunchers(Map.of()),
        new AwsEnvironment(dynalite.environment()));
  }

  private JsonNode reply(App app, String command) throws Exception {
    byte[] event = Jackson.bytes(signer.httpApiEvent(Jackson.bytes(interactions.command(command, Optional.empty(), Map.of())), false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new InteractionHandler(app).handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext());
    return Jackson.parse(Jackson.parse(out.toByteArray()).path("body").asText());
  }

  @Test
  void debugLastFindsACommandThatRanInAnotherContainer() throws Exception {
    App ranStatus = container(Map.of());
    App askedDebugLast = container(Map.of());
    assertEquals(Optional.of(true), ranStatus.ensureStateTable(), "serve creates the missing table");
    // As in Lambda after SnapStart priming: the client is built, so the reply writes its trace itself. (A
    // cold container's first trace reaches the table just after its reply: FallbackTest.)
    ranStatus.prime();

    reply(ranStatus, "status");
    JsonNode debug = reply(askedDebugLast, "debug-last");

    String content = debug.path("data").path("content").asText();
    assertTrue(content.contains("/status"), content);
    assertTrue(content.contains("github.runs deploy.yml"), content);
  }

  @Test
  void twoContainersPostOneAlertForTheSameFailure() throws Exception {
    githubStatus = 401;
    Map<String, String> alerts = Map.of("ENABLE_ALERTS", "true", "DRY_RUN", "true");
    App first = container(alerts);
    App second = container(alerts);
    first.ensureStateTable();

    try (LogCapture logs = new LogCapture()) {
      reply(first, "status");
      first.alerts().flush(Duration.ofSeconds(5));
      reply(second, "status");
      second.alerts().flush(Duration.ofSeconds(5));

      long posted = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("dry-run: would post alert")).count();
      long suppressed = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("alert suppressed")).count();
      assertEquals(1, posted, "one post across both containers");
      assertEquals(1, suppressed);
    }
  }
}
