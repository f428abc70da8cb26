package dev.valine.orchestrator.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScheduledDigestTest {
  private static final Instant NOW = Instant.parse("2026-12-01T09:00:03Z");
  private static final String RULE = "valine-orchestrator-prod-daily-digest";
  private static final String RULE_ARN = "arn:aws:events:eu-west-1:123456789012:rule/" + RULE;

  private final FakeTime time = new FakeTime(NOW);
  private final MockWebServer github = new MockWebServer();
  private final List<String> posted = new CopyOnWriteArrayList<>();
  private final Set<String> claimed = new HashSet<>();

  @BeforeEach
  void start() throws Exception {
    github.start();
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private DigestService digests() {
    GitHubClient client = new GitHubClient(new OkHttpClient(), github.url("/").toString(), "octo-org/deploy-service", Optional.empty(),
        "test", time);
    return new DigestService(Optional.of(() -> client), List.of("deploy.yml"), "prod", time);
  }

  private ScheduledDigest digest(DigestService digests, boolean enabled) {
    return new ScheduledDigest(digests, enabled, Optional.of(RULE), posted::add, (key, expiresAt) -> claimed.add(key), time);
  }

  private static JsonNode event(String source, String detailType, String... resources) {
    var event = Jackson.object().put("version", "0").put("id", "5b8f3c0e-fake").put("detail-type", detailType)
        .put("source", source).put("account", "123456789012").put("time", NOW.toString()).put("region", "eu-west-1");
    var list = event.putArray("resources");
    for (String resource : resources) {
      list.add(resource);
    }
    event.putObject("detail");
    return event;
  }

  private static JsonNode scheduled() {
    return event("aws.events", "Scheduled Event", RULE_ARN);
  }

  @Test
  void postsTheDaysDigestOnTheSchedulesEvent() {
    github.enqueue(GitHubFixtures.runsPage(GitHubFixtures.run(415, "completed", "success", NOW.minus(Duration.ofHours(2)),
        Duration.ofMinutes(3))));

    ScheduledDigest.Outcome outcome = digest(digests(), true).run(scheduled());

    assertEquals(ScheduledDigest.Outcome.POSTED, outcome);
    assertEquals(1, posted.size());
    assertTrue(posted.get(0).startsWith("**Daily digest** · `octo-org/deploy-service` · stage `prod`"), posted.get(0));
    assertEquals(Set.of("digest#2026-12-01"), claimed);
  }

  @Test
  void postsOncePerDayWhateverRedeliversTheEvent() {
    github.enqueue(GitHubFixtures.runsPage());

    ScheduledDigest digest = digest(digests(), true);
    ScheduledDigest.Outcome first = digest.run(scheduled());
    ScheduledDigest.Outcome retried = digest.run(scheduled());

    assertEquals(ScheduledDigest.Outcome.POSTED, first);
    assertEquals(ScheduledDigest.Outcome.DUPLICATE, retried);
    assertEquals(1, posted.size());
    assertEquals(1, github.getRequestCount(), "the retry asked GitHub nothing");
  }

  @Test
  void tellsTheChannelWhyThereIsNoDigestToday() {
    DigestService unconfigured = new DigestService(Optional.empty(), List.of("deploy.yml"), "prod", time);

    ScheduledDigest.Outcome outcome = digest(unconfigured, true).run(scheduled());

    assertEquals(ScheduledDigest.Outcome.POSTED, outcome);
    assertEquals(List.of("**Daily digest** unavailable: " + DigestService.NOT_CONFIGURED), posted);
  }

  @Test
  void isOffUnlessEnabled() {
    ScheduledDigest.Outcome outcome = digest(digests(), false).run(scheduled());

    assertEquals(ScheduledDigest.Outcome.OFF, outcome);
    assertEquals(List.of(), posted);
    assertEquals(Set.of(), claimed);
  }

  @Test
  void refusesEventsThatAreNotTheSchedulesAndLogsThem() {
    List<JsonNode> forged = List.of(
        event("my.app", "Scheduled Event", RULE_ARN),
        event("aws.events", "Object Created", RULE_ARN),
        event("aws.events", "Scheduled Event", "arn:aws:events:eu-west-1:123456789012:rule/someone-elses-rule"),
        event("aws.events", "Scheduled Event", RULE_ARN, RULE_ARN),
        event("aws.events", "Scheduled Event"));

    try (LogCapture logs = new LogCapture()) {
      for (JsonNode event : forged) {
        assertEquals(ScheduledDigest.Outcome.REFUSED, digest(digests(), true).run(event), event.toString());
      }
      assertEquals(forged.size(), logs.lines().stream().filter(l -> l.path("level").asText().equals("ERROR")
          && l.path("message").asText().startsWith("scheduled event refused: ")).count(), logs.text());
    }
    assertEquals(List.of(), posted);
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void refusesEveryScheduledEventWhenNoRuleIsConfigured() {
    ScheduledDigest digest = new ScheduledDigest(digests(), true, Optional.empty(), posted::add, (key, at) -> true, time);

    assertEquals(ScheduledDigest.Outcome.REFUSED, digest.run(scheduled()));
  }

  @Test
  void reportsAPostThatFailed() {
    github.enqueue(GitHubFixtures.runsPage());
    ScheduledDigest digest = new ScheduledDigest(digests(), true, Optional.of(RULE), text -> {
      throw new IllegalStateException("Discord answered 403");
    }, (key, at) -> true, time);

    try (LogCapture logs = new LogCapture()) {
      assertEquals(ScheduledDigest.Outcome.FAILED, digest.run(scheduled()));
      assertTrue(logs.text().contains("daily digest not posted: Discord answered 403"), logs.text());
    }
  }

  @Test
  void recognisesEventBridgeEventsButNotOthers() {
    assertTrue(ScheduledDigest.isScheduledEvent(scheduled()));
    assertTrue(ScheduledDigest.isScheduledEvent(Jackson.object().put("detail-type", "x")));
    assertEquals(false, ScheduledDigest.isScheduledEvent(Jackson.object().put("rawPath", "/interactions")));
  }
}
