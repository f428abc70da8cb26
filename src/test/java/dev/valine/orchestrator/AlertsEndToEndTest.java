package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.AlertService;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.Handlers;
import dev.valine.orchestrator.testing.LogCapture;
import dev.valine.orchestrator.testing.Signer;
import dev.valine.orchestrator.testing.TestApps;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts raised by real commands, delivered to MockWebServer playing Discord. Jobs an invocation hands
 * on (a deferred half, undelivered alerts) are captured, as Lambda's queue would hold them, and then fed
 * to the handler like the asynchronous invocation: every test runs to its end with nothing left running.
 */
class AlertsEndToEndTest {
  private static final String OPS_CHANNEL = "645027906669510667";
  private static final String ALERT_POSTS = "/api/v10/channels/" + OPS_CHANNEL + "/messages";

  private final Signer signer = new Signer(Clock.systemUTC());
  private final MockWebServer github = new MockWebServer();
  private final MockWebServer discord = new MockWebServer();
  private final String botToken = "fake-bot-token-" + Long.toHexString(new SecureRandom().nextLong());
  private final List<DeferredJob> jobs = new CopyOnWriteArrayList<>();
  // Every request Discord received, in order.
  private final List<RecordedRequest> discordRequests = new CopyOnWriteArrayList<>();
  // Discord's enforce_nonce: a post repeating a recent nonce gets the first message back, not a new one.
  private final Map<String, String> messageByNonce = new ConcurrentHashMap<>();
  private final AtomicInteger alertPostsAnswered = new AtomicInteger();
  // While held, alert posts reach Discord and get no answer: a process frozen mid-request.
  private volatile CountDownLatch alertPostsHeld = new CountDownLatch(0);
  private volatile int failFirstAlertPostsWith = 0;

  @BeforeEach
  void start() throws Exception {
    github.start();
    discord.start();
    // GitHub is down: every runs request answers 502, an upstream failure users cannot fix.
    github.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(502).body("bad gateway").build();
      }
    });
    discord.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        discordRequests.add(request);
        if (!ALERT_POSTS.equals(request.getTarget())) {
          // A deferred half reading or editing its reply.
          return json(200, "{\"id\":\"1400000000000000001\",\"flags\":128}");
        }
        alertPostsHeld.await(30, TimeUnit.SECONDS);
        if (alertPostsAnswered.incrementAndGet() == 1 && failFirstAlertPostsWith != 0) {
          return json(failFirstAlertPostsWith, "{\"message\":\"Missing Access\",\"code\":50001}");
        }
        String nonce = nonce(request);
        String id = messageByNonce.computeIfAbsent(nonce, n -> Integer.toString(messageByNonce.size() + 1));
        return json(200, "{\"id\":\"" + id + "\"}");
      }
    });
  }

  @AfterEach
  void stop() {
    alertPostsHeld.countDown();
    github.close();
    discord.close();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static String nonce(RecordedRequest post) {
    try {
      return Jackson.parse(post.getBody().utf8()).path("nonce").asText();
    } catch (IOException e) {
      throw new AssertionError("an alert post is JSON", e);
    }
  }

  private App app(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_BASE", github.url("/").toString(), "GITHUB_REPO", "octo-org/deploy-service", "STATUS_WORKFLOWS", "deploy.yml",
        "DISCORD_API_BASE", discord.url("/api/v10").toString(), "DISCORD_BOT_TOKEN", botToken,
        "ALERT_CHANNEL_ID", OPS_CHANNEL, "ENABLE_ALERTS", "true", "STAGE", "prod"));
    env.putAll(overrides);
    return new App(TestApps.config(signer, env), Clock.systemUTC(), App.defaultTracing(Map.of()), runner -> jobs::add);
  }

  /** One /status through the Lambda handler; returns the reply Discord gets. Handed-on jobs stay captured. */
  private JsonNode status(App app) throws Exception {
    byte[] interaction = Jackson.bytes(new InteractionBuilder(new SecureRandom()).command("status", Optional.empty(), Map.of()));
    return Jackson.parse(Handlers.invoke(app, Jackson.bytes(signer.httpApiEvent(interaction, false))).path("body").asText());
  }


  /** Delivers every captured job to {@code app}, as the asynchronous invocations would; returns their outcomes. */
  private List<String> runJobs(App app) throws Exception {
    List<String> outcomes = new ArrayList<>();
    while (!jobs.isEmpty()) {
      outcomes.add(Handlers.invoke(app, JobEvents.encode(jobs.remove(0))).path("job").asText());
    }
    return outcomes;
  }

  /** /status, then whatever it handed on: the command's whole story, with nothing left running. */
  private JsonNode statusToTheEnd(App app) throws Exception {
    JsonNode reply = status(app);
    runJobs(app);
    return reply;
  }

  private List<RecordedRequest> alertPosts() {
    return discordRequests.stream().filter(request -> ALERT_POSTS.equals(request.getTarget())).toList();
  }

  private List<DeferredJob> alertHandOffs() {
    return jobs.stream().filter(job -> job.kind() == DeferredJob.Kind.ALERTS).toList();
  }

  @Test
  void postsAnErrorAlertWhenGitHubFails() throws Exception {
    JsonNode reply = statusToTheEnd(app(Map.of()));

    assertTrue(reply.path("data").path("content").asText().contains("GitHub is having trouble (HTTP 502)"));
    RecordedRequest post = alertPosts().get(0);
    assertEquals("Bot " + botToken, post.getHeaders().get("Authorization"));
    JsonNode embed = Jackson.parse(post.getBody().utf8()).path("embeds").get(0);
    assertEquals("🟠 ERROR: GitHub call failed", embed.path("title").asText());
    assertTrue(embed.path("description").asText().contains("Fetching runs of `deploy.yml`: GitHub is having trouble (HTTP 502)"));
    assertTrue(Jackson.text(embed.path("fields")).contains("GitHub SERVER_ERROR"));
  }

  @Test
  void deliversTheAlertBeforeTheHandlerReturnsWhenDiscordAnswers() throws Exception {
    status(app(Map.of("COMMAND_BUDGET_MS", "2200")));

    // Nothing more runs after this point, as in a process Lambda froze right after the response.
    assertEquals(1, alertPosts().size(), "already at Discord");
    assertEquals(List.of(), alertHandOffs());
  }

  @Test
  void sendsOneAlertPerWindowForRepeatedFailures() throws Exception {
    App app = app(Map.of());

    statusToTheEnd(app);
    statusToTheEnd(app);
    statusToTheEnd(app);

    assertEquals(1, messageByNonce.size(), "one message in the ops channel");
    assertEquals(2, ((AlertService) app.alerts()).suppressedCount());
  }

  @Test
  void sendsNothingWhenAlertsAreDisabled() throws Exception {
    // Even if this /status is deferred on a slow machine, its deferred half runs here, to the end.
    statusToTheEnd(app(Map.of("ENABLE_ALERTS", "false")));

    assertEquals(List.of(), alertPosts());
  }

  @Test
  void logsInsteadOfPostingInDryRun() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      statusToTheEnd(app(Map.of("DRY_RUN", "true")));

      JsonNode line = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("dry-run: would post alert"))
          .findFirst().orElseThrow();
      assertTrue(line.path("alert_message").asText().contains("GitHub call failed"));
    }
    assertEquals(List.of(), alertPosts());
  }

  @Test
  void answersWithoutWaitingForAnAlertPostThatHangs() throws Exception {
    alertPostsHeld = new CountDownLatch(1);

    JsonNode reply = status(app(Map.of("COMMAND_BUDGET_MS", "2200")));

    // Discord answers no alert post until the test ends: a reply that waited for one would not be here yet.
    assertEquals(0, alertPostsAnswered.get(), "the reply came back while the alert post was unanswered");
    assertEquals(1, alertHandOffs().size(), "and the alert it could not wait for was handed on");
    assertEquals(4, reply.path("type").asInt());
    assertTrue(reply.path("data").path("content").asText().contains("GitHub is having trouble"));
  }

  @Test
  void anAlertStillUndeliveredWhenTheProcessFreezesIsHandedOnAndArrives() throws Exception {
    // Discord takes the post and does not answer while this container runs: the post is on the wire when
    // Lambda freezes the process after the reply, and the delivery thread never runs again.
    alertPostsHeld = new CountDownLatch(1);
    App frozen = app(Map.of("COMMAND_BUDGET_MS", "2200"));

    status(frozen);

    List<DeferredJob> handOffs = alertHandOffs();
    assertEquals(1, handOffs.size(), "handed to an invocation that outlives this one");
    assertEquals("GitHub call failed", handOffs.get(0).alerts().get(0).alert().title());

    // Lambda delivers the hand-off to a container whose Discord answers.
    alertPostsHeld.countDown();
    List<String> outcomes = runJobs(app(Map.of()));

    assertEquals(List.of("completed"), outcomes);
    List<RecordedRequest> posts = alertPosts();
    RecordedRequest delivered = posts.get(posts.size() - 1);
    assertEquals("🟠 ERROR: GitHub call failed",
        Jackson.parse(delivered.getBody().utf8()).path("embeds").get(0).path("title").asText());
    assertEquals(1, posts.stream().map(AlertsEndToEndTest::nonce).distinct().count(),
        "the frozen post, if it landed, and the handed-on one carry one nonce: Discord shows one message");
  }

  @Test
  void logsAndCountsAFailedAlertWithoutFailingTheReply() throws Exception {
    failFirstAlertPostsWith = 403;
    App app = app(Map.of());

    try (LogCapture logs = new LogCapture()) {
      JsonNode reply = statusToTheEnd(app);

      assertTrue(reply.path("data").path("content").asText().contains("GitHub is having trouble"));
      JsonNode failure = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("alert not delivered"))
          .findFirst().orElseThrow();
      assertTrue(failure.path("reason").asText().contains("code 50001: Missing Access"), failure.toString());
      assertEquals("GitHub call failed", failure.path("alert_title").asText());
      assertEquals("status", failure.path("command").asText(), "delivery logs carry the raising command's context");
      assertTrue(failure.path("trace_id").isTextual());
    }
    assertEquals(1, ((AlertService) app.alerts()).failedCount());
  }
}
