package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Once per interaction, as the dispatcher applies it: the inline claim, commands that change something, and claimed jobs. */
class CommandDispatcherClaimsTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final SignedInteraction SIGNED = new SignedInteraction("{}".getBytes(StandardCharsets.UTF_8), "fake-signature",
      Long.toString(NOW.getEpochSecond()));
  private static final String USER = "53908232506183680";

  private final InMemoryTraceStore traces = new InMemoryTraceStore(10);
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final List<DeferredJob> launched = new CopyOnWriteArrayList<>();
  private final ExecutorService workers = CommandRunner.defaultWorkers(16);
  private final MemoryClaimStore memory = new MemoryClaimStore(10, CLOCK);
  private final AtomicInteger acts = new AtomicInteger();

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  /** The table, failing: every call times out. */
  private static final ClaimStore FAILING = new ClaimStore() {
    private RuntimeException timeout() {
      return new IllegalStateException("ApiCallTimeoutException: Client execution did not complete before 500 millis");
    }

    @Override
    public boolean claim(String key, String token, Instant expiresAt) {
      throw timeout();
    }

    @Override
    public JobState begin(String key, String token, Instant leaseUntil, Instant expiresAt) {
      throw timeout();
    }

    @Override
    public boolean renew(String key, String token, Instant leaseUntil) {
      throw timeout();
    }

    @Override
    public boolean record(String key, String token, String name, String value, Instant leaseUntil) {
      throw timeout();
    }

    @Override
    public boolean finish(String key, String token) {
      throw timeout();
    }
  };

  private Claims claims(Optional<ClaimStore> table) {
    return new Claims(table.map(store -> () -> store), () -> true, memory, Claims.retention(Duration.ofMinutes(5)), CLOCK, Metrics.NONE,
        Claims.LEASE, Duration.ofMillis(10));
  }

  private CommandDispatcher dispatcher(Claims claims, SlashCommand... commands) {
    Alerter alerter = alerts::add;
    return new CommandDispatcher(new CommandRegistry(List.of(commands)),
        new CommandDispatcher.Timing(Duration.ofSeconds(2), Duration.ofSeconds(60)), CLOCK, header -> "trace-" + System.nanoTime(),
        new Observability(traces, () -> Tracing.NONE, new SecretRedactor(), "dev"), alerter, new CommandRunner(() -> workers),
        launched::add, claims);
  }

  private static Interaction interaction(String name) {
    return new Interaction("1300000000000000001", "1200000000000000000", InteractionType.APPLICATION_COMMAND, "fake-token",
        Optional.of("290926798626357999"), Optional.of("645027906669510667"), Optional.of(new DiscordUser(USER, "mason")),
        Optional.of(name), List.of(), Optional.empty());
  }

  private interface Handler {
    InteractionResponse handle(CommandContext context) throws Exception;
  }

  private static SlashCommand command(String name, boolean changesSomething, Handler handler) {
    return new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition(name, "test command", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) throws Exception {
        return handler.handle(context);
      }

      @Override
      public boolean changesSomething() {
        return changesSomething;
      }
    };
  }

  /** "Dispatches" once per run unless its progress says an earlier attempt did; counts its acts. */
  private SlashCommand deploy() {
    return command("deploy", true, context -> {
      Optional<String> run = context.progress().get("dispatched_run_id");
      if (run.isEmpty()) {
        context.progress().record("dispatch", "requested");
        acts.incrementAndGet();
        run = Optional.of("9000000042");
        context.progress().record("dispatched_run_id", run.get());
      }
      return InteractionResponse.message("following run " + run.get());
    });
  }

  private static final class RecordingEditor implements ReplyEditor {
    final List<InteractionResponse> edits = new CopyOnWriteArrayList<>();

    @Override
    public void edit(Interaction interaction, InteractionResponse response, Duration budget) {
      edits.add(response);
    }

    @Override
    public boolean alreadyAnswered(Interaction interaction, Duration budget) {
      return false;
    }
  }

  private static DeferredJob job() {
    return new DeferredJob("trace-job", SIGNED, NOW.minusSeconds(3), NOW.minusSeconds(1));
  }

  @Test
  void answersASecondDeliveryWithoutRunningTheCommandOrAddingATrace() {
    AtomicInteger runs = new AtomicInteger();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), command("status", false, context -> {
      runs.incrementAndGet();
      return InteractionResponse.message("all green");
    }));

    InteractionResponse first = dispatcher.dispatch(interaction("status"), SIGNED, NOW, Optional.empty());
    try (LogCapture logs = new LogCapture()) {
      InteractionResponse second = dispatcher.dispatch(interaction("status"), SIGNED, NOW, Optional.empty());

      assertEquals("all green", first.content());
      assertEquals(InteractionResponse.ephemeral("This interaction was already handled."), second);
      assertTrue(logs.lines().stream().anyMatch(l -> l.path("message").asText().equals("interaction delivered again; not run again")
          && l.path("correlation_id").asText().equals("1300000000000000001")), logs.text());
      assertTrue(logs.lines().stream().noneMatch(l -> l.path("message").asText().equals("command completed")), "no closing line");
    }
    assertEquals(1, runs.get());
    assertEquals(1, traces.size(), "one trace");
  }

  @Test
  void neverRunsACommandThatChangesSomethingInline() {
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), deploy());

    InteractionResponse reply = dispatcher.dispatch(interaction("deploy"), SIGNED, NOW, Optional.empty());

    assertEquals(InteractionResponse.Type.DEFERRED_CHANNEL_MESSAGE, reply.type());
    assertEquals(0, acts.get(), "an inline attempt given up at the budget would be run again by the deferred half");
    assertEquals(1, launched.size());
    TraceRecord trace = traces.newestFor(USER).orElseThrow();
    assertEquals("changes something: runs once, in the deferred half", trace.steps().get(trace.steps().size() - 1).detail().orElseThrow());
  }

  @Test
  void refusesACommandThatChangesSomethingWhenItsClaimCannotBeRecorded() {
    CommandDispatcher dispatcher = dispatcher(claims(Optional.of(FAILING)), deploy());

    InteractionResponse reply = dispatcher.dispatch(interaction("deploy"), SIGNED, NOW, Optional.empty());

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("I could not make sure this runs only once, so I did not run it: nothing was changed (trace `"),
        reply.content());
    assertEquals(List.of(), launched, "no job: nothing runs anywhere");
    assertEquals(0, acts.get());
    assertEquals("Command /deploy refused: claim not recorded", alerts.get(0).title());
    TraceRecord trace = traces.newestFor(USER).orElseThrow();
    assertEquals(TraceStatus.ERROR, trace.status());
    assertEquals(Optional.of("refused: the interaction's claim could not be recorded"), trace.error());
  }

  @Test
  void runsAReadOnlyCommandWhenItsClaimCannotBeRecorded() {
    CommandDispatcher dispatcher = dispatcher(claims(Optional.of(FAILING)),
        command("status", false, context -> InteractionResponse.message("all green")));

    InteractionResponse reply = dispatcher.dispatch(interaction("status"), SIGNED, NOW, Optional.empty());

    assertEquals("all green", reply.content());
    assertEquals(List.of(), alerts);
  }

  @Test
  void aJobTakenOverAfterACrashGivesTheCommandWhatTheCrashedAttemptRecorded() throws Exception {
    Claims claims = claims(Optional.empty());
    // The crashed attempt: it dispatched, recorded the run, and stopped renewing; its lease has lapsed.
    memory.begin("job#1300000000000000001", "crashed", NOW.minusSeconds(1), NOW.plus(Duration.ofMinutes(25)));
    memory.record("job#1300000000000000001", "crashed", "dispatched_run_id", "9000000042", NOW.minusSeconds(1));
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher(claims, deploy());

    Claims.JobStart retry = claims.beginJob("1300000000000000001", NOW, true);
    dispatcher.resume(interaction("deploy"), job(), NOW.plusSeconds(600), editor, retry.claim().orElseThrow());

    assertEquals(0, acts.get(), "the run was already dispatched");
    assertEquals(List.of(InteractionResponse.message("following run 9000000042")), editor.edits);
    TraceRecord trace = traces.find("trace-job").orElseThrow();
    assertEquals(List.of("inline attempt", "resume", "discord.edit @original"), trace.steps().stream().map(s -> s.name()).toList());
    assertEquals(Optional.of("taken over from an attempt that stopped; recorded: dispatched_run_id"), trace.steps().get(1).detail());
    assertEquals(ClaimStore.JobState.Status.DONE, memory.begin("job#1300000000000000001", "late", NOW, NOW.plusSeconds(600)).status());
  }

  /** A stalled attempt wakes to find another has the job: it stops its command and leaves the reply and the trace to the other. */
  @Test
  void anAttemptWhoseJobWasTakenOverWhileItRanStopsWithoutEditingTheReply() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    TakenOverWhenTold store = new TakenOverWhenTold();
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), command("deploy", true, context -> {
      started.countDown();
      never.await();
      return InteractionResponse.message("late");
    }));
    JobClaim claim = JobClaim.held(store, "job#1", "stalled", CLOCK, Claims.LEASE, Map.of(), false);
    Thread attempt = new Thread(() -> dispatcher.resume(interaction("deploy"), job(), NOW.plusSeconds(600), editor, claim));
    attempt.start();
    assertTrue(started.await(10, TimeUnit.SECONDS));

    store.takenOver = true;
    attempt.join(TimeUnit.SECONDS.toMillis(10));

    assertFalse(attempt.isAlive(), "the heartbeat noticed, and the attempt ended");
    assertEquals(List.of(), editor.edits);
    assertEquals(Optional.empty(), traces.find("trace-job"), "the attempt that holds the job stores the trace");
    assertFalse(store.finished);
  }

  @Test
  void anAttemptThatLostItsJobJustBeforeItsEditLeavesTheReplyAlone() {
    TakenOverWhenTold store = new TakenOverWhenTold();
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), command("status", false, context -> {
      store.takenOver = true;
      return InteractionResponse.message("all green");
    }));

    dispatcher.resume(interaction("status"), job(), NOW.plusSeconds(600), editor,
        JobClaim.held(store, "job#1", "slow", CLOCK, Claims.LEASE, Map.of(), false));

    assertEquals(List.of(), editor.edits);
  }

  @Test
  void aCommandWhoseProgressCannotBeRecordedStopsBeforeActingAndSaysSo() {
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), deploy());
    JobClaim claim = JobClaim.held(FAILING, "job#1", "me", CLOCK, Claims.LEASE, Map.of(), false);

    dispatcher.resume(interaction("deploy"), job(), NOW.plusSeconds(600), editor, claim);

    assertEquals(0, acts.get());
    assertEquals(1, editor.edits.size());
    assertTrue(editor.edits.get(0).content().startsWith("I could not record my progress, so I stopped before changing anything more"),
        editor.edits.get(0).content());
    assertEquals("Command /deploy stopped: progress not recorded", alerts.get(0).title());
  }

  @Test
  void theDeferredHalfOfACommandWhoseJobClaimFailedSaysItDidNotRun() {
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), deploy());

    dispatcher.refuseUnclaimed(interaction("deploy"), job(), NOW.plusSeconds(600), editor);

    assertEquals(0, acts.get());
    assertTrue(editor.edits.get(0).content().startsWith("I could not make sure this runs only once, so this attempt did not run it"),
        editor.edits.get(0).content());
    assertEquals("Command /deploy refused: claim not recorded", alerts.get(0).title());
    assertEquals(TraceStatus.ERROR, traces.find("trace-job").orElseThrow().status());
  }

  @Test
  void showsInterimUpdatesInTheDeferredReplyBeforeTheAnswer() {
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), command("deploy", true, context -> {
      context.updates().show(InteractionResponse.message("dispatched"));
      context.updates().show(InteractionResponse.message("in progress"));
      return InteractionResponse.message("success");
    }));

    dispatcher.resume(interaction("deploy"), job(), NOW.plusSeconds(600), editor,
        JobClaim.held(new TakenOverWhenTold(), "job#1", "me", CLOCK, Claims.LEASE, Map.of(), false));

    assertEquals(List.of("dispatched", "in progress", "success"), editor.edits.stream().map(InteractionResponse::content).toList());
  }

  @Test
  void skipsInterimUpdatesOnceAnotherAttemptHoldsTheJob() {
    RecordingEditor editor = new RecordingEditor();
    TakenOverWhenTold store = new TakenOverWhenTold();
    List<Boolean> shown = new CopyOnWriteArrayList<>();
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), command("deploy", true, context -> {
      shown.add(context.updates().show(InteractionResponse.message("queued")));
      store.takenOver = true;
      shown.add(context.updates().show(InteractionResponse.message("in progress")));
      return InteractionResponse.message("late");
    }));

    dispatcher.resume(interaction("deploy"), job(), NOW.plusSeconds(600), editor,
        JobClaim.held(store, "job#1", "stalled", CLOCK, Claims.LEASE, Map.of(), false));

    assertEquals(List.of(true, false), shown);
    assertEquals(List.of("queued"), editor.edits.stream().map(InteractionResponse::content).toList(),
        "neither the second update nor the answer overwrites the reply of the attempt that holds the job");
  }

  @Test
  void givesACommandThatFollowsARunTheLongerTimeItAsksForWithinTheTokensLife() {
    List<Instant> deadlines = new CopyOnWriteArrayList<>();
    SlashCommand follows = new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition("follow", "test command", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) {
        deadlines.add(context.deadline().at());
        return InteractionResponse.message("done");
      }

      @Override
      public Optional<Duration> runsFor() {
        return Optional.of(Duration.ofMinutes(14).plusSeconds(30));
      }
    };
    CommandDispatcher dispatcher = dispatcher(claims(Optional.empty()), follows, command("status", false, context -> {
      deadlines.add(context.deadline().at());
      return InteractionResponse.message("done");
    }));
    Instant tokenExpiry = NOW.plus(CommandDispatcher.TOKEN_LIFETIME);

    dispatcher.resume(interaction("follow"), job(), tokenExpiry, new RecordingEditor());
    dispatcher.resume(interaction("status"), job(), tokenExpiry, new RecordingEditor());

    Instant arrival = job().arrival();
    assertEquals(List.of(arrival.plus(Duration.ofMinutes(14).plusSeconds(30)), arrival.plusSeconds(60)), deadlines,
        "the follower gets its 14.5 minutes (inside the token's 15 less the edit margin); the other DEFERRED_TIMEOUT_SECONDS");
  }

  @Test
  void defersAtOnceAndClaimsTheJobWhenAnOptionMakesTheInvocationChangeSomething() {
    SlashCommand verify = new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition("verify", "test command", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) {
        acts.incrementAndGet();
        return InteractionResponse.message("verified");
      }

      @Override
      public boolean changesSomething(Interaction interaction) {
        return interaction.booleanOption("diagnose").orElse(false);
      }
    };
    CommandDispatcher dispatcher = dispatcher(claims(Optional.of(FAILING)), verify);
    Interaction plain = interaction("verify");
    Interaction diagnosing = withOption(plain, new CommandOption("diagnose", OptionType.BOOLEAN.code(), true, List.of()));

    InteractionResponse readOnly = dispatcher.dispatch(plain, SIGNED, NOW, Optional.empty());
    InteractionResponse acting = dispatcher.dispatch(diagnosing, SIGNED, NOW, Optional.empty());

    assertEquals("verified", readOnly.content(), "read-only: runs inline even though its claim could not be recorded");
    assertTrue(acting.content().startsWith("I could not make sure this runs only once, so I did not run it"), acting.content());
    assertEquals(1, acts.get());
    assertTrue(dispatcher.changesSomething(diagnosing));
    assertFalse(dispatcher.changesSomething(plain));
  }

  private static Interaction withOption(Interaction base, CommandOption option) {
    return new Interaction("1300000000000000002", base.applicationId(), base.type(), base.token(), base.guildId(), base.channelId(),
        base.user(), base.commandName(), List.of(option), base.locale());
  }

  /** A job's claim in memory, which another attempt takes over when the test says so. */
  private static final class TakenOverWhenTold implements ClaimStore {
    volatile boolean takenOver;
    volatile boolean finished;

    @Override
    public boolean claim(String key, String token, Instant expiresAt) {
      return true;
    }

    @Override
    public JobState begin(String key, String token, Instant leaseUntil, Instant expiresAt) {
      return new JobState(JobState.Status.STARTED, Map.of(), Optional.empty());
    }

    @Override
    public boolean renew(String key, String token, Instant leaseUntil) {
      return !takenOver;
    }

    @Override
    public boolean record(String key, String token, String name, String value, Instant leaseUntil) {
      return !takenOver;
    }

    @Override
    public boolean finish(String key, String token) {
      finished = !takenOver;
      return finished;
    }
  }
}
