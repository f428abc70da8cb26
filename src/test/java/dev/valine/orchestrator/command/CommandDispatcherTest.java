package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.PendingAlert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.DiscordException;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CommandDispatcherTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  // The signature is not checked by the dispatcher; the timestamp sets the interaction token's expiry.
  private static final SignedInteraction SIGNED = new SignedInteraction("{}".getBytes(StandardCharsets.UTF_8), "fake-signature",
      Long.toString(NOW.getEpochSecond()));
  private static final Duration DEFERRED_TIMEOUT = Duration.ofSeconds(60);

  private final InMemoryTraceStore store = new InMemoryTraceStore(10);
  private final List<TraceRecord> traced = new ArrayList<>();
  private final Tracing recordingTracing = (trace, stage) -> traced.add(trace);
  // Commands run on worker threads and raise alerts there.
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final List<DeferredJob> launched = new CopyOnWriteArrayList<>();
  private final ExecutorService workers = CommandRunner.defaultWorkers(16);
  private JobLauncher launcher = launched::add;
  private Alerter alerter = alerts::add;

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  private CommandDispatcher dispatcher(String traceId, SlashCommand... commands) {
    return dispatcher(traceId, Duration.ofMillis(2000), commands);
  }

  private CommandDispatcher dispatcher(String traceId, Duration inlineBudget, SlashCommand... commands) {
    return new CommandDispatcher(new CommandRegistry(List.of(commands)), new CommandDispatcher.Timing(inlineBudget, DEFERRED_TIMEOUT),
        CLOCK, header -> traceId, new Observability(store, () -> recordingTracing, new SecretRedactor(), "dev"), alerter,
        new CommandRunner(() -> workers), launcher);
  }

  private static Interaction command(String name) {
    return new Interaction("1300000000000000001", "1200000000000000000", InteractionType.APPLICATION_COMMAND, "fake-token",
        Optional.of("290926798626357999"), Optional.of("645027906669510667"), Optional.of(new DiscordUser("53908232506183680", "mason")),
        Optional.of(name), List.of(), Optional.empty());
  }

  private interface CommandHandler {
    InteractionResponse handle(CommandContext context) throws Exception;
  }

  private static SlashCommand command(String name, boolean recordsTrace, CommandHandler handler) {
    return command(name, recordsTrace, false, handler);
  }

  /** A command as the dispatcher sees it; {@code alwaysDeferred} ones also reply ephemerally. */
  private static SlashCommand command(String name, boolean recordsTrace, boolean alwaysDeferred, CommandHandler handler) {
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
      public boolean recordsTrace() {
        return recordsTrace;
      }

      @Override
      public boolean alwaysDeferred() {
        return alwaysDeferred;
      }

      @Override
      public boolean ephemeral() {
        return alwaysDeferred;
      }
    };
  }

  private static SlashCommand command(String name, CommandHandler handler) {
    return command(name, true, handler);
  }

  @Test
  void givesTheCommandItsContextAndDeadline() {
    AtomicReference<CommandContext> seen = new AtomicReference<>();
    CommandDispatcher dispatcher = dispatcher("trace-1", command("echo", context -> {
      seen.set(context);
      return InteractionResponse.message("ok");
    }));

    InteractionResponse response = dispatcher.dispatch(command("echo"), SIGNED, NOW.minusMillis(300), Optional.empty());

    assertEquals("ok", response.content());
    assertEquals("trace-1", seen.get().traceId());
    assertEquals("53908232506183680", seen.get().user().id());
    assertEquals(NOW.minusMillis(300).plus(DEFERRED_TIMEOUT), seen.get().deadline().at(),
        "the command may use the whole deferred timeout, counted from arrival; only the inline wait is 2 s");
  }

  @Test
  void answersBusyWithoutACriticalAlertWhenEveryWorkerIsTaken() {
    // A pool that takes no work at all: every run is refused.
    ExecutorService none = new java.util.concurrent.ThreadPoolExecutor(0, 1, 1, java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), runnable -> {
          throw new IllegalStateException("no thread is made");
        }, new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
    none.shutdown();
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command("echo", context -> InteractionResponse.message("ok")))),
        new CommandDispatcher.Timing(Duration.ofMillis(2000), DEFERRED_TIMEOUT), CLOCK, header -> "trace-busy",
        new Observability(store, () -> recordingTracing, new SecretRedactor(), "dev"), alerter, new CommandRunner(() -> none), launcher);

    InteractionResponse response = dispatcher.dispatch(command("echo"), SIGNED, NOW, Optional.empty());

    assertTrue(response.ephemeral());
    assertTrue(response.content().startsWith("The bot is busy with other commands right now and did not run `/echo`"), response.content());
    assertEquals(List.of(), alerts, "load is not a critical failure");
  }

  @Test
  void recordsTheTraceForDebugLastAndTracing() {
    CommandDispatcher dispatcher = dispatcher("trace-2", command("echo", context -> {
      try (var step = context.trace().step("work")) {
        context.trace().link("docs", "https://example.com/docs");
      }
      return InteractionResponse.message("ok");
    }));

    dispatcher.dispatch(command("echo"), SIGNED, NOW, Optional.empty());

    TraceRecord trace = store.newestFor("53908232506183680").orElseThrow();
    assertEquals("trace-2", trace.traceId());
    assertEquals("1300000000000000001", trace.correlationId());
    assertEquals(TraceStatus.OK, trace.status());
    assertEquals(List.of("claim", "work"), trace.steps().stream().map(step -> step.name()).toList(),
        "the interaction's claim first, then the command's own steps");
    assertEquals("https://example.com/docs", trace.links().get("docs"));
    assertEquals(List.of(trace), traced);
  }

  @Test
  void doesNotStoreTracesOfCommandsThatInspectTraces() {
    CommandDispatcher dispatcher = dispatcher("trace-3", command("debug-last", false, context -> InteractionResponse.ephemeral("x")));

    dispatcher.dispatch(command("debug-last"), SIGNED, NOW, Optional.empty());

    assertEquals(Optional.empty(), store.newestFor("53908232506183680"));
  }

  @Test
  void turnsUnexpectedFailureIntoEphemeralMessageWithTraceId() {
    CommandDispatcher dispatcher = dispatcher("trace-42", command("boom", context -> {
      throw new IllegalStateException("database password=hunter2 rejected");
    }));

    InteractionResponse response = dispatcher.dispatch(command("boom"), SIGNED, NOW, Optional.empty());

    assertTrue(response.ephemeral());
    assertEquals("Something went wrong (trace `trace-42`). The error has been logged; try again, or share the trace id with the team.",
        response.content());
    TraceRecord trace = store.find("trace-42").orElseThrow();
    assertEquals(TraceStatus.ERROR, trace.status());
    assertEquals(Optional.of("IllegalStateException: database password=***REDACTED*** rejected"), trace.error());
  }

  @Test
  void raisesCriticalAlertWhenACommandFails() {
    CommandDispatcher dispatcher = dispatcher("trace-43", command("boom", context -> {
      throw new IllegalStateException("disk full");
    }));

    dispatcher.dispatch(command("boom"), SIGNED, NOW, Optional.empty());

    assertEquals(1, alerts.size());
    Alert alert = alerts.get(0);
    assertEquals(Severity.CRITICAL, alert.severity());
    assertEquals("Command /boom failed", alert.title());
    assertEquals("IllegalStateException: disk full", alert.detail());
    assertEquals(Optional.of("trace-43"), alert.traceId());
    assertEquals(Optional.of("boom"), alert.command());
    assertEquals(Optional.of("53908232506183680"), alert.userId());
    assertEquals(Optional.of("IllegalStateException"), alert.errorType());
  }

  @Test
  void raisesNoAlertForUnknownCommands() {
    dispatcher("t").dispatch(command("nope"), SIGNED, NOW, Optional.empty());

    assertEquals(List.of(), alerts);
  }

  @Test
  void answersUnknownCommandEphemerally() {
    InteractionResponse response = dispatcher("t").dispatch(command("nope"), SIGNED, NOW, Optional.empty());

    assertTrue(response.ephemeral());
    assertTrue(response.content().startsWith("I don't know the command `/nope`."));
  }

  @Test
  void clearsLogContextAfterEachCommand() {
    AtomicReference<String> during = new AtomicReference<>();
    CommandDispatcher dispatcher = dispatcher("trace-7", command("echo", context -> {
      during.set(MDC.get("trace_id"));
      throw new IllegalStateException("fails, and still clears");
    }));

    dispatcher.dispatch(command("echo"), SIGNED, NOW, Optional.empty());

    assertEquals("trace-7", during.get());
    assertNull(MDC.get("trace_id"));
    assertNull(MDC.get("user_id"));
    assertNull(MDC.get("command"));
    assertNull(MDC.get("correlation_id"));
  }

  @Test
  void writesOneClosingLineWithDurationAndStatus() {
    try (LogCapture logs = new LogCapture()) {
      dispatcher("trace-8", command("echo", context -> InteractionResponse.message("ok"))).dispatch(command("echo"), SIGNED, NOW, Optional.empty());

      List<JsonNode> closing = logs.lines().stream().filter(line -> line.path("message").asText().equals("command completed")).toList();
      assertEquals(1, closing.size());
      assertTrue(closing.get(0).path("duration_ms").isNumber());
      assertEquals("ok", closing.get(0).path("status").asText());
      assertEquals("trace-8", closing.get(0).path("trace_id").asText());
      assertEquals("echo", closing.get(0).path("command").asText());
    }
  }

  @Test
  void logsFailureWithErrorFieldsAndNoSecret() {
    try (LogCapture logs = new LogCapture()) {
      dispatcher("trace-9", command("boom", context -> {
        throw new IllegalStateException("call failed", new RuntimeException("Authorization: Bearer abcdefghijklmnop1234"));
      })).dispatch(command("boom"), SIGNED, NOW, Optional.empty());

      JsonNode error = logs.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).findFirst().orElseThrow();
      assertEquals("java.lang.IllegalStateException", error.path("error").path("type").asText());
      assertEquals("call failed", error.path("error").path("message").asText());
      assertTrue(error.path("error").path("stack").asText().contains("Caused by: java.lang.RuntimeException: Authorization: ***REDACTED***"));
      assertEquals("trace-9", error.path("trace_id").asText());
      assertFalse(logs.text().contains("abcdefghijklmnop1234"));
    }
  }

  /** A command that waits until released, to outlast any budget. */
  private static SlashCommand slow(String name, CountDownLatch release) {
    return command(name, context -> {
      release.await();
      return InteractionResponse.message("late");
    });
  }

  private static SlashCommand alwaysDeferred(String name, CommandHandler handler) {
    return command(name, true, true, handler);
  }

  /** Records edits of deferred replies; fails them when told to. */
  private static final class RecordingEditor implements ReplyEditor {
    final List<InteractionResponse> edits = new CopyOnWriteArrayList<>();
    DiscordException failure;

    @Override
    public void edit(Interaction interaction, InteractionResponse response, Duration budget) throws DiscordException {
      if (failure != null) {
        throw failure;
      }
      edits.add(response);
    }

    @Override
    public boolean alreadyAnswered(Interaction interaction, Duration budget) {
      return false;
    }
  }

  private static DeferredJob job(String traceId, Instant arrival) {
    return new DeferredJob(traceId, SIGNED, arrival, arrival.plusMillis(200));
  }

  @Test
  void defersACommandThatOutlivesTheInlineBudget() {
    CountDownLatch release = new CountDownLatch(1);
    CommandDispatcher dispatcher = dispatcher("trace-d1", Duration.ofMillis(100), slow("slow", release));

    InteractionResponse response = dispatcher.dispatch(command("slow"), SIGNED, NOW, Optional.empty());
    release.countDown();

    assertEquals(InteractionResponse.Type.DEFERRED_CHANNEL_MESSAGE, response.type());
    assertFalse(response.ephemeral(), "the command replies publicly");
    assertEquals(1, launched.size());
    assertEquals("trace-d1", launched.get(0).traceId());
    assertEquals(NOW, launched.get(0).arrival());
    assertEquals(SIGNED, launched.get(0).interaction());
    TraceRecord trace = store.find("trace-d1").orElseThrow();
    assertEquals(TraceStatus.RUNNING, trace.status(), "the deferred half finishes it");
    assertEquals("defer", trace.steps().get(trace.steps().size() - 1).name());
  }

  @Test
  void defersAnAlwaysDeferredCommandWithoutRunningItInline() {
    AtomicInteger runs = new AtomicInteger();
    CommandDispatcher dispatcher = dispatcher("trace-d2", alwaysDeferred("report", context -> {
      runs.incrementAndGet();
      return InteractionResponse.ephemeral("report");
    }));

    InteractionResponse response = dispatcher.dispatch(command("report"), SIGNED, NOW, Optional.empty());

    assertEquals(InteractionResponse.Type.DEFERRED_CHANNEL_MESSAGE, response.type());
    assertTrue(response.ephemeral(), "deferred as ephemeral, as the command declares");
    assertEquals(0, runs.get());
    assertEquals(1, launched.size());
  }

  @Test
  void answersInlineWithTheTraceIdWhenTheJobCannotBeLaunched() {
    launcher = job -> {
      throw new JobLaunchException("Lambda throttled the invocation");
    };
    CommandDispatcher dispatcher = dispatcher("trace-d3", alwaysDeferred("report", context -> InteractionResponse.message("x")));

    InteractionResponse response = dispatcher.dispatch(command("report"), SIGNED, NOW, Optional.empty());

    assertEquals(InteractionResponse.Type.CHANNEL_MESSAGE, response.type());
    assertTrue(response.ephemeral());
    assertTrue(response.content().contains("could not hand it to a background worker (trace `trace-d3`)"), response.content());
    assertEquals("Command /report could not be deferred", alerts.get(0).title());
    assertEquals(TraceStatus.ERROR, store.find("trace-d3").orElseThrow().status());
  }

  @Test
  void deferredHalfEditsTheReplyWithTheResultUnderTheSameTrace() {
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher("ignored", command("echo", context -> {
      try (var step = context.trace().step("work")) {
        return InteractionResponse.message("done in the background");
      }
    }));

    dispatcher.resume(command("echo"), job("trace-r1", NOW.minusSeconds(3)), NOW.plusSeconds(600), editor);

    assertEquals(List.of(InteractionResponse.message("done in the background")), editor.edits);
    TraceRecord trace = store.find("trace-r1").orElseThrow();
    assertEquals(TraceStatus.OK, trace.status());
    assertEquals(NOW.minusSeconds(3), trace.startedAt(), "one trace from the request's arrival");
    assertEquals(List.of("inline attempt", "work", "discord.edit @original"), trace.steps().stream().map(s -> s.name()).toList());
    assertEquals(List.of(trace), traced, "X-Ray gets the same trace, under the same id");
  }

  @Test
  void deferredHalfThatFailsEditsTheReplyWithTheErrorAndAlerts() {
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher("ignored", command("boom", context -> {
      throw new IllegalStateException("disk full");
    }));

    dispatcher.resume(command("boom"), job("trace-r2", NOW), NOW.plusSeconds(600), editor);

    assertEquals(1, editor.edits.size());
    assertTrue(editor.edits.get(0).content().startsWith("Something went wrong (trace `trace-r2`)"), editor.edits.get(0).content());
    assertEquals(Severity.CRITICAL, alerts.get(0).severity());
    assertEquals(Optional.of("trace-r2"), alerts.get(0).traceId());
  }

  @Test
  void deferredHalfStopsAtItsDeadlineAndSaysSo() {
    CountDownLatch never = new CountDownLatch(1);
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher("ignored", slow("slow", never));
    // Arrived so long ago that 300 ms of the deferred timeout are left.
    Instant arrival = NOW.minus(DEFERRED_TIMEOUT).plusMillis(300);

    dispatcher.resume(command("slow"), job("trace-r3", arrival), NOW.plusSeconds(600), editor);

    assertEquals(1, editor.edits.size());
    assertTrue(editor.edits.get(0).content().startsWith("This took too long and was stopped (trace `trace-r3`)"));
    assertEquals("Command /slow abandoned", alerts.get(0).title());
    assertEquals(TraceStatus.ERROR, store.find("trace-r3").orElseThrow().status());
  }

  @Test
  void deferredHalfStopsBeforeTheTokenExpiresWhateverTheTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    RecordingEditor editor = new RecordingEditor();
    CommandDispatcher dispatcher = dispatcher("ignored", slow("slow", never));
    Instant tokenExpiry = NOW.plus(CommandDispatcher.EDIT_MARGIN).plusMillis(300);

    dispatcher.resume(command("slow"), job("trace-r4", NOW), tokenExpiry, editor);

    assertEquals(1, editor.edits.size(), "edited while the token still works");
    assertTrue(editor.edits.get(0).content().startsWith("This took too long"));
  }

  @Test
  void alertsWhenTheDeferredReplyCannotBeDelivered() {
    RecordingEditor editor = new RecordingEditor();
    editor.failure = new DiscordException(DiscordException.Kind.NOT_FOUND, 404, 10015, "Unknown Webhook");
    CommandDispatcher dispatcher = dispatcher("ignored", command("echo", context -> InteractionResponse.message("ok")));

    dispatcher.resume(command("echo"), job("trace-r5", NOW), NOW.plusSeconds(600), editor);

    assertEquals("Deferred reply not delivered", alerts.get(0).title());
    TraceRecord trace = store.find("trace-r5").orElseThrow();
    assertEquals(TraceStatus.ERROR, trace.status());
    assertEquals(TraceStatus.ERROR, trace.steps().get(trace.steps().size() - 1).status());
  }

  /** A shared store that notes which kind of write it got. */
  private static final class RecordingStore implements dev.valine.orchestrator.observability.TraceStore {
    final List<String> writes = new CopyOnWriteArrayList<>();

    @Override
    public void record(TraceRecord trace) {
      writes.add("shared " + trace.status().id());
    }

    @Override
    public void recordLocally(TraceRecord trace) {
      writes.add("local " + trace.status().id());
    }

    @Override
    public Optional<TraceRecord> newestFor(String userId) {
      return Optional.empty();
    }

    @Override
    public Optional<TraceRecord> find(String traceId) {
      return Optional.empty();
    }
  }

  private CommandDispatcher dispatcherStoringIn(RecordingStore shared, SlashCommand command) {
    return new CommandDispatcher(new CommandRegistry(List.of(command)), new CommandDispatcher.Timing(Duration.ofMillis(2000),
        DEFERRED_TIMEOUT), CLOCK, header -> "trace-s", new Observability(shared, () -> recordingTracing, new SecretRedactor(), "dev"),
        alerts::add, new CommandRunner(() -> workers), launcher);
  }

  @Test
  void writesTheSharedStoreWhenTheReplyCanAffordIt() {
    RecordingStore shared = new RecordingStore();

    dispatcherStoringIn(shared, command("echo", context -> InteractionResponse.message("ok"))).dispatch(command("echo"), SIGNED, NOW,
        Optional.empty());

    assertEquals(List.of("shared ok"), shared.writes);
  }

  @Test
  void keepsTheTraceInThisContainerWhenTheSharedStoreWouldMakeTheReplyLate() {
    RecordingStore shared = new RecordingStore();
    CountDownLatch release = new CountDownLatch(1);
    // Arrived 2.5 s ago: the budget is spent, the command is deferred, and 300 ms remain before Discord's deadline.
    InteractionResponse response = dispatcherStoringIn(shared, slow("slow", release))
        .dispatch(command("slow"), SIGNED, NOW.minusMillis(2_500), Optional.empty());
    release.countDown();

    assertEquals(InteractionResponse.Type.DEFERRED_CHANNEL_MESSAGE, response.type());
    assertEquals(List.of("local running"), shared.writes);
  }

  @Test
  void theDeferredHalfAlwaysWritesTheSharedStore() {
    RecordingStore shared = new RecordingStore();

    dispatcherStoringIn(shared, command("echo", context -> InteractionResponse.message("ok")))
        .resume(command("echo"), job("trace-s", NOW.minusSeconds(30)), NOW.plusSeconds(600), new RecordingEditor());

    assertEquals(List.of("shared ok"), shared.writes, "off the reply path there is time to wait");
  }

  /** GitHub on loopback that holds every request until the test ends, and says when one has arrived. */
  private static final class HangingGitHub implements AutoCloseable {
    final MockWebServer server = new MockWebServer();
    final CountDownLatch received = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    HangingGitHub() throws Exception {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
          received.countDown();
          release.await(10, TimeUnit.SECONDS);
          return new MockResponse.Builder().code(200).body("{\"workflow_runs\":[]}").build();
        }
      });
      server.start();
    }

    @Override
    public void close() {
      release.countDown();
      server.close();
    }
  }

  /**
   * The dispatcher's workers, except that handing a command to them returns only once GitHub has its
   * request: the inline budget then runs out while the call is in flight, however slow the machine.
   */
  private ExecutorService startingBefore(CountDownLatch started) {
    return new AbstractExecutorService() {
      @Override
      public <T> Future<T> submit(Callable<T> task) {
        Future<T> future = super.submit(task);
        try {
          started.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return future;
      }

      @Override
      public void execute(Runnable command) {
        workers.execute(command);
      }

      @Override
      public void shutdown() {
        workers.shutdown();
      }

      @Override
      public List<Runnable> shutdownNow() {
        return workers.shutdownNow();
      }

      @Override
      public boolean isShutdown() {
        return workers.isShutdown();
      }

      @Override
      public boolean isTerminated() {
        return workers.isTerminated();
      }

      @Override
      public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return workers.awaitTermination(timeout, unit);
      }
    };
  }

  @Test
  void cancelsTheInlineAttemptsGitHubCallWhenItDefers() throws Exception {
    try (HangingGitHub github = new HangingGitHub()) {
      List<String> cancelled = new CopyOnWriteArrayList<>();
      OkHttpClient http = new OkHttpClient.Builder().eventListener(new EventListener() {
        @Override
        public void canceled(Call call) {
          cancelled.add(call.request().url().encodedPath());
        }
      }).build();
      GitHubClient client = new GitHubClient(http, github.server.url("/").toString(), "octo-org/deploy-service", Optional.empty(),
          "test", CLOCK);
      StatusCommand status = new StatusCommand(Optional.of(() -> client), List.of("deploy.yml"), "dev", CLOCK);
      ExecutorService gated = startingBefore(github.received);
      CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(status)),
          new CommandDispatcher.Timing(Duration.ofMillis(100), DEFERRED_TIMEOUT), CLOCK, header -> "trace-c1",
          new Observability(store, () -> recordingTracing, new SecretRedactor(), "dev"), alerter, new CommandRunner(() -> gated),
          launcher);

      InteractionResponse response = dispatcher.dispatch(command("status"), SIGNED, NOW, Optional.empty());

      assertEquals(InteractionResponse.Type.DEFERRED_CHANNEL_MESSAGE, response.type());
      assertEquals(1, launched.size(), "the deferred half starts over");
      assertEquals(List.of("/repos/octo-org/deploy-service/actions/workflows/deploy.yml/runs"), cancelled,
          "the inline attempt's call was aborted before the reply, not left running");
    }
  }

  /** An alerter whose alerts are all still undelivered when the invocation settles, as when Discord hangs. */
  private static final class UndeliveredAlerts implements Alerter {
    final List<Alert> raised = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<String> dropped = new CopyOnWriteArrayList<>();

    @Override
    public void raise(Alert alert) {
      raised.add(alert);
    }

    @Override
    public List<PendingAlert> settle(Duration maxWait) {
      waits.add(maxWait);
      List<PendingAlert> left = raised.stream().map(alert -> new PendingAlert(alert, NOW, OptionalInt.empty())).toList();
      raised.clear();
      return left;
    }

    @Override
    public void drop(List<PendingAlert> alerts, String reason) {
      alerts.forEach(pending -> dropped.add(pending.alert().title() + ": " + reason));
    }
  }

  private static SlashCommand failing(String name) {
    return command(name, context -> {
      throw new IllegalStateException("disk full");
    });
  }

  @Test
  void handsUndeliveredAlertsOnWithTheSignedInteraction() {
    UndeliveredAlerts undelivered = new UndeliveredAlerts();
    alerter = undelivered;

    dispatcher("trace-h1", failing("boom")).dispatch(command("boom"), SIGNED, NOW, Optional.empty());

    assertEquals(1, launched.size());
    DeferredJob handOff = launched.get(0);
    assertEquals(DeferredJob.Kind.ALERTS, handOff.kind());
    assertEquals(SIGNED, handOff.interaction(), "verified again where it is delivered");
    assertEquals("trace-h1", handOff.traceId());
    assertEquals("Command /boom failed", handOff.alerts().get(0).alert().title());
    assertEquals(List.of(), undelivered.dropped);
  }

  @Test
  void givesAlertsWhatIsLeftOfTheInlineBudget() {
    UndeliveredAlerts undelivered = new UndeliveredAlerts();
    alerter = undelivered;

    dispatcher("trace-h2", failing("boom")).dispatch(command("boom"), SIGNED, NOW.minusMillis(500), Optional.empty());

    assertEquals(List.of(Duration.ofMillis(1_500)), undelivered.waits, "arrived 500 ms ago, with a 2 s budget");
  }

  @Test
  void stopsWaitingForAlertsInTimeToHandThemOnBeforeDiscordsDeadline() {
    UndeliveredAlerts undelivered = new UndeliveredAlerts();
    alerter = undelivered;

    dispatcher("trace-h3", Duration.ofMillis(2_800), failing("boom")).dispatch(command("boom"), SIGNED, NOW, Optional.empty());

    assertEquals(List.of(CommandDispatcher.REPLY_BY.minus(AlertHandOff.LAUNCH_ALLOWANCE)), undelivered.waits);
    assertEquals(DeferredJob.Kind.ALERTS, launched.get(0).kind());
  }

  @Test
  void afterAFailedDeferralWaitsForAlertsUntilTheHandOffMustStart() {
    UndeliveredAlerts undelivered = new UndeliveredAlerts();
    alerter = undelivered;
    List<DeferredJob> attempts = new CopyOnWriteArrayList<>();
    launcher = job -> {
      attempts.add(job);
      throw new JobLaunchException("Lambda throttled the invocation");
    };
    // The budget was spent 100 ms ago; the hand-off must start 2.2 s after arrival.
    Instant arrival = NOW.minusMillis(2_100);

    dispatcher("trace-h4", alwaysDeferred("report", context -> InteractionResponse.message("x")))
        .dispatch(command("report"), SIGNED, arrival, Optional.empty());

    assertEquals(List.of(Duration.ofMillis(100)), undelivered.waits);
    assertEquals(List.of(DeferredJob.Kind.COMMAND, DeferredJob.Kind.ALERTS), attempts.stream().map(DeferredJob::kind).toList());
    assertEquals(List.of("Command /report could not be deferred: could not be handed on: JobLaunchException: "
        + "Lambda throttled the invocation"), undelivered.dropped, "logged, not lost silently");
  }

  @Test
  void dropsAlertsWhenNoTimeIsLeftToHandThemOn() {
    UndeliveredAlerts undelivered = new UndeliveredAlerts();
    alerter = undelivered;
    List<DeferredJob> attempts = new CopyOnWriteArrayList<>();
    launcher = job -> {
      attempts.add(job);
      throw new JobLaunchException("Lambda throttled the invocation");
    };

    dispatcher("trace-h5", alwaysDeferred("report", context -> InteractionResponse.message("x")))
        .dispatch(command("report"), SIGNED, NOW.minusMillis(2_500), Optional.empty());

    assertEquals(1, attempts.size(), "no hand-off is tried that could make the reply late");
    assertEquals(List.of("Command /report could not be deferred: no time was left before Discord's deadline to hand it on"),
        undelivered.dropped);
  }
}
