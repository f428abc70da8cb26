package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.Handlers;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ops actions end to end, as in Lambda: signed requests and the job events of their deferred halves through
 * the real handler, the shared table on dynalite, GitHub and Discord on loopback. GitHub's run moves from queued
 * to in progress to success as it is polled; Discord records each edit of the reply. Time is a fake clock that the
 * commands' waits move, so following a run takes no real time.
 */
@ExtendWith(WarmAwsSdk.class)
class OpsActionsEndToEndTest {
  private static final long RUN_ID = 9_000_000_042L;
  private static final long VERIFIED_RUN = 9_000_000_041L;
  private static final long DIAGNOSED_RUN = 9_000_000_043L;
  private static final byte[] SUMMARY_ZIP = GitHubFixtures.zip(Map.of("summary.json", ("{\"checks\":[{\"name\":\"frontend\",\"ok\":true,"
      + "\"detail\":\"200 in 85 ms\"},{\"name\":\"api-health\",\"ok\":false,\"detail\":\"503\"}]}").getBytes(
      java.nio.charset.StandardCharsets.UTF_8)));
  private static final String OPERATOR = "53908232506183680";
  private static final String LOADING_REPLY = "{\"id\":\"1400000000000000001\",\"flags\":128,\"content\":\"\"}";
  private static final CallLimits TIME_TO_SPARE = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private final FakeTime time = new FakeTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final Signer signer = new Signer(time);
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  private final MockWebServer site = new MockWebServer();
  private volatile int apiStatus = 200;
  private final AtomicInteger dispatches = new AtomicInteger();
  private final AtomicInteger polls = new AtomicInteger();
  private final List<String> edits = new CopyOnWriteArrayList<>();
  private final List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
  private String table;

  @BeforeEach
  void start() throws Exception {
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.endsWith("/workflows/deploy.yml/dispatches")) {
          dispatches.incrementAndGet();
          return GitHubFixtures.runDetails(RUN_ID);
        }
        if (path.endsWith("/runs/" + DIAGNOSED_RUN + "/artifacts")) {
          return GitHubFixtures.artifactsPage(GitHubFixtures.artifact(77, "diagnose-summary", SUMMARY_ZIP.length, false));
        }
        if (path.endsWith("/artifacts/77/zip")) {
          // As GitHub does: a redirect to short-lived storage, here on this machine over http (ALLOW_PRIVATE_TARGETS, dev).
          return new MockResponse.Builder().code(302).setHeader("Location", github.url("/storage/77.zip").toString()).build();
        }
        if (path.equals("/storage/77.zip")) {
          return GitHubFixtures.bytes(200, SUMMARY_ZIP);
        }
        if (path.endsWith("/runs/" + DIAGNOSED_RUN)) {
          return GitHubFixtures.json(200, Jackson.text(GitHubFixtures.run(43, "completed", "success", time.instant().minusSeconds(60),
              Duration.ofSeconds(60)).put("id", DIAGNOSED_RUN)));
        }
        if (path.endsWith("/workflows/diagnose.yml/dispatches")) {
          dispatches.incrementAndGet();
          return GitHubFixtures.runDetails(DIAGNOSED_RUN);
        }
        if (path.endsWith("/runs/" + VERIFIED_RUN)) {
          return GitHubFixtures.json(200, Jackson.text(GitHubFixtures.run(41, "completed", "success", time.instant().minusSeconds(600),
              Duration.ofSeconds(120)).put("id", VERIFIED_RUN)));
        }
        if (path.endsWith("/runs/" + VERIFIED_RUN + "/jobs")) {
          return GitHubFixtures.jobsPage(1, GitHubFixtures.job(1, "deploy", "success"));
        }
        if (path.contains("/actions/variables/")) {
          return GitHubFixtures.error(404, "Not Found");
        }
        if (path.endsWith("/runs/" + RUN_ID)) {
          // Queued, then in progress, then done: one state further every two polls.
          int poll = polls.incrementAndGet();
          String status = poll <= 2 ? "queued" : poll <= 4 ? "in_progress" : "completed";
          return GitHubFixtures.json(200, Jackson.text(GitHubFixtures.run(42, status, poll <= 4 ? null : "success",
              time.instant().minusSeconds(95), Duration.ofSeconds(95)).put("id", RUN_ID)
              .put("html_url", "https://github.com/octo-org/deploy-service/actions/runs/" + RUN_ID)));
        }
        return GitHubFixtures.error(404, "Not Found");
      }
    });
    discord.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if ("PATCH".equals(request.getMethod())) {
          try {
            edits.add(Jackson.parse(request.getBody().utf8()).path("content").asText());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return GitHubFixtures.json(200, LOADING_REPLY.replace("128", "0"));
        }
        return GitHubFixtures.json(200, LOADING_REPLY);
      }
    });
    site.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getUrl().encodedPath().startsWith("/api/")) {
          return new MockResponse.Builder().code(apiStatus).body("{}").build();
        }
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").addHeader("Cache-Control", "no-cache")
            .body("<!doctype html><title>app</title>").build();
      }
    });
    github.start();
    discord.start();
    site.start();
    table = Dynalite.uniqueTable("ops");
  }

  @AfterEach
  void stop() {
    github.close();
    discord.close();
    site.close();
  }

  private App container() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service",
        "GITHUB_TOKEN", TestApps.fakeGitHubToken(), "DEPLOY_WORKFLOW", "deploy.yml", "DIAGNOSE_WORKFLOW", "diagnose.yml",
        "OPERATOR_USER_IDS", OPERATOR,
        "DISCORD_API_BASE", discord.url("/api/v10").toString(), "TRACE_TABLE_NAME", table, "ALLOW_PRIVATE_TARGETS", "true"));
    env.put("FRONTEND_BASE_URL", site.url("/").toString());
    env.put("API_BASE_URL", site.url("/api").toString());
    App app = new App(TestApps.config(signer, env), time, time, App.defaultTracing(Map.of()), runner -> jobs::add,
        new AwsEnvironment(dynalite.environment()), Metrics.NONE, TIME_TO_SPARE, List.of());
    app.ensureStateTable();
    app.prime();
    return app;
  }

  private byte[] request(App app, String command, String user, Map<String, String> options) {
    InteractionBuilder builder = interactions.user(user);
    byte[] body = Jackson.bytes(builder.command(command, app.commands().find(command).map(c -> c.definition()), options));
    return Jackson.bytes(signer.httpApiEvent(body, false));
  }



  @Test
  void deployClientDispatchesOnceFollowsTheRunAndEditsTheReplyInTheDeferredHalf() throws Exception {
    App app = container();
    byte[] deploy = request(app, "deploy-client", OPERATOR, Map.of("ref", "main"));

    JsonNode first = Handlers.reply(app, deploy);
    assertEquals(5, first.path("type").asInt(), "deferred at once: it acts in the deferred half only");
    assertEquals(0, dispatches.get());
    assertEquals(1, jobs.size());

    byte[] jobEvent = JobEvents.encode(jobs.get(0));
    assertEquals("completed", Handlers.invoke(app, jobEvent).path("job").asText());

    assertEquals(1, dispatches.get());
    assertTrue(edits.size() >= 3, edits.toString());
    assertTrue(edits.get(0).startsWith("🚀 Dispatched **deploy.yml**"), edits.get(0));
    assertTrue(edits.stream().anyMatch(edit -> edit.contains("is in progress")), edits.toString());
    String last = edits.get(edits.size() - 1);
    assertTrue(last.startsWith("✅ **deploy.yml** run #42 succeeded"), last);
    assertTrue(last.contains("https://github.com/octo-org/deploy-service/actions/runs/" + RUN_ID), last);

    // Lambda delivers the job again, and someone replays the signed request: nothing is dispatched twice.
    assertEquals("duplicate", Handlers.invoke(container(), jobEvent).path("job").asText());
    JsonNode replayed = Handlers.reply(container(), deploy);
    assertEquals("This interaction was already handled.", replayed.path("data").path("content").asText());
    assertEquals(1, dispatches.get());
    assertEquals(1, jobs.size());
  }

  @Test
  void someoneWhoIsNoOperatorIsRefusedInlineAndOnlyTheySeeIt() throws Exception {
    App app = container();

    JsonNode refused = Handlers.reply(app, request(app, "deploy-client", "100000000000000009", Map.of()));

    assertEquals(4, refused.path("type").asInt());
    assertEquals(64, refused.path("data").path("flags").asInt(), "ephemeral");
    assertTrue(refused.path("data").path("content").asText().contains("OPERATOR_USER_IDS"), refused.toString());
    assertEquals(List.of(), jobs);
    assertEquals(0, dispatches.get());
  }

  @Test
  void aUrlOptionThatNamesTheCloudMetadataAddressIsRefusedInlineOnlyToTheCallerAndNothingIsDispatched() throws Exception {
    App app = container();

    JsonNode refused = Handlers.reply(app, request(app, "deploy-client", OPERATOR, Map.of("api_base", "http://169.254.169.254/latest/meta-data")));

    assertEquals(4, refused.path("type").asInt(), "answered inline: a deferred reply would show the refusal to the channel");
    assertEquals(64, refused.path("data").path("flags").asInt(), "ephemeral");
    String answer = refused.path("data").path("content").asText();
    assertTrue(answer.contains("link-local") && answer.contains("Nothing was dispatched."), answer);
    assertEquals(List.of(), jobs);
    assertEquals(0, dispatches.get());
  }

  @Test
  void aRefOptionThatIsNoBranchNameIsRefusedInlineOnlyToTheCaller() throws Exception {
    App app = container();

    JsonNode refused = Handlers.reply(app, request(app, "deploy-client", OPERATOR, Map.of("ref", "main..evil")));

    assertEquals(64, refused.path("data").path("flags").asInt(), "ephemeral");
    assertTrue(refused.path("data").path("content").asText().startsWith("`ref` must be a branch or tag name"), refused.toString());
    assertEquals(List.of(), jobs);
  }


  @Test
  void verifyRunChecksTheRunAndTheDeployedTargetsOverHttp() throws Exception {
    App app = container();

    JsonNode answer = Handlers.reply(app, request(app, "verify-run", "100000000000000009", Map.of("run_id", Long.toString(VERIFIED_RUN))));

    String text = answerText(app, answer);
    assertTrue(text.startsWith("✅"), text);
    assertTrue(text.contains("/index.html") && text.contains("/health"), text);
    assertEquals(0, dispatches.get());
  }

  @Test
  void verifyRunFailsWhenTheApiIsDown() throws Exception {
    apiStatus = 503;
    App app = container();

    JsonNode answer = Handlers.reply(app, request(app, "verify-run", "100000000000000009", Map.of("run_id", Long.toString(VERIFIED_RUN))));

    String text = answerText(app, answer);
    assertTrue(text.startsWith("❌"), text);
    assertTrue(text.contains("503"), text);
  }

  /** The answer, inline, or from the deferred half when the verification took longer than the inline budget. */
  private String answerText(App app, JsonNode reply) throws Exception {
    if (reply.path("type").asInt() == 4) {
      return reply.path("data").path("content").asText();
    }
    assertEquals("completed", Handlers.invoke(app, JobEvents.encode(jobs.get(jobs.size() - 1))).path("job").asText());
    return edits.get(edits.size() - 1);
  }

  @Test
  void diagnoseFollowsItsRunAndShowsTheChecksOfItsSummaryArtifact() throws Exception {
    App app = container();
    Handlers.reply(app, request(app, "diagnose", OPERATOR, Map.of()));

    assertEquals("completed", Handlers.invoke(app, JobEvents.encode(jobs.get(0))).path("job").asText());

    String answer = edits.get(edits.size() - 1);
    assertTrue(answer.contains("frontend") && answer.contains("200 in 85 ms"), answer);
    assertTrue(answer.contains("api") && answer.contains("503"), answer);
    assertEquals(1, dispatches.get());
  }
}
