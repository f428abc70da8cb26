package dev.valine.orchestrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.alert.PendingAlert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionParser;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.SignatureVerifier;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.testing.Signer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Alert hand-offs arriving at the job runner, and how every job invocation ends with its alerts settled. */
class DeferredJobRunnerTest {
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final PendingAlert ALERT = new PendingAlert(new Alert(Severity.ERROR, "GitHub call failed", "HTTP 502",
      Optional.of("trace-1"), Optional.of("status"), Optional.of("53908232506183680"), Optional.of("GitHub SERVER_ERROR"), Map.of()),
      NOW.minusSeconds(1), OptionalInt.of(0));

  private final Signer discord = new Signer(CLOCK);
  private final RecordingAlerts alerts = new RecordingAlerts();
  private final ExecutorService workers = CommandRunner.defaultWorkers(16);
  private final DeferredJobRunner runner = runner();

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  /** Records what the runner asks of the alerter; {@code undelivered} is what settling finds still on its way. */
  private static final class RecordingAlerts implements Alerter {
    final List<PendingAlert> resumed = new CopyOnWriteArrayList<>();
    final List<Duration> settles = new CopyOnWriteArrayList<>();
    final List<String> dropped = new CopyOnWriteArrayList<>();
    final List<PendingAlert> undelivered = new ArrayList<>();

    @Override
    public void raise(Alert alert) {}

    @Override
    public void resume(List<PendingAlert> handedOn) {
      resumed.addAll(handedOn);
    }

    @Override
    public List<PendingAlert> settle(Duration maxWait) {
      settles.add(maxWait);
      List<PendingAlert> left = List.copyOf(undelivered);
      undelivered.clear();
      return left;
    }

    @Override
    public void drop(List<PendingAlert> given, String reason) {
      given.forEach(pending -> dropped.add(pending.alert().title() + ": " + reason));
    }
  }

  private DeferredJobRunner runner() {
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of()),
        new CommandDispatcher.Timing(Duration.ofSeconds(2), Duration.ofSeconds(60)), CLOCK, header -> "trace",
        new Observability(new InMemoryTraceStore(10), () -> Tracing.NONE, new SecretRedactor(), "dev"), alerts,
        new CommandRunner(() -> workers), job -> { });
    ReplyEditor editor = new ReplyEditor() {
      @Override
      public void edit(Interaction interaction, InteractionResponse response, Duration budget) {}

      @Override
      public boolean alreadyAnswered(Interaction interaction, Duration budget) {
        return false;
      }
    };
    return new DeferredJobRunner(new SignatureVerifier(discord.publicKeyHex(), Duration.ofMinutes(5), CLOCK), new InteractionParser(),
        dispatcher, editor, Claims.inMemory(CLOCK), alerts, Metrics.NONE, CLOCK);
  }

  private static SignedInteraction signedBy(Signer signer) {
    byte[] body = Jackson.bytes(new InteractionBuilder(new SecureRandom()).command("status", Optional.empty(), Map.of()));
    String timestamp = signer.now();
    return new SignedInteraction(body, signer.sign(timestamp, body), timestamp);
  }

  private static DeferredJob handOff(SignedInteraction interaction) {
    return DeferredJob.alerts("trace-1", interaction, NOW.minusSeconds(2), NOW.minusMillis(500), List.of(ALERT));
  }

  @Test
  void takesOverTheAlertsAHandOffCarriesAndDeliversThemBeforeReturning() {
    DeferredJobRunner.Outcome outcome = runner.run(handOff(signedBy(discord)));

    assertEquals(DeferredJobRunner.Outcome.COMPLETED, outcome);
    assertEquals(List.of(ALERT), alerts.resumed);
    assertEquals(List.of(DeferredJobRunner.ALERT_DELIVERY), alerts.settles);
  }

  @Test
  void refusesAHandOffWhoseInteractionDiscordDidNotSignAndLogsItsAlertsAsDropped() {
    Signer impostor = new Signer(Ed25519KeyPair.generate(new SecureRandom()), CLOCK);

    DeferredJobRunner.Outcome outcome = runner.run(handOff(signedBy(impostor)));

    assertEquals(DeferredJobRunner.Outcome.REFUSED, outcome);
    assertEquals(List.of(), alerts.resumed);
    assertEquals(List.of("GitHub call failed: its hand-off was refused"), alerts.dropped);
  }

  @Test
  void refusesAHandOffOlderThanTheInteractionToken() {
    Signer past = new Signer(discord.keys(), Clock.fixed(NOW.minus(CommandDispatcher.TOKEN_LIFETIME).minusSeconds(1), ZoneOffset.UTC));

    DeferredJobRunner.Outcome outcome = runner.run(handOff(signedBy(past)));

    assertEquals(DeferredJobRunner.Outcome.REFUSED, outcome);
    assertEquals(List.of(), alerts.resumed);
  }

  @Test
  void takesEachHandOffOncePerContainer() {
    DeferredJob job = handOff(signedBy(discord));

    DeferredJobRunner.Outcome first = runner.run(job);
    DeferredJobRunner.Outcome second = runner.run(job);

    assertEquals(DeferredJobRunner.Outcome.COMPLETED, first);
    assertEquals(DeferredJobRunner.Outcome.DUPLICATE, second, "Lambda may deliver an asynchronous event twice");
    assertEquals(List.of(ALERT), alerts.resumed);
  }

  @Test
  void logsAlertsStillUndeliveredWhenItsInvocationEndsAsDropped() {
    alerts.undelivered.add(ALERT);

    runner.run(handOff(signedBy(discord)));

    assertEquals(List.of("GitHub call failed: not delivered before its invocation ended"), alerts.dropped,
        "nothing outlives this invocation to hand them to");
  }

  /** A command that changes something, counting its runs. */
  private static SlashCommand acting(AtomicInteger runs) {
    return new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition("status", "acts (test)", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) {
        runs.incrementAndGet();
        return InteractionResponse.message("acted");
      }

      @Override
      public boolean changesSomething() {
        return true;
      }
    };
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

  private DeferredJobRunner runner(Claims claims, SlashCommand command, ReplyEditor editor) {
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command)),
        new CommandDispatcher.Timing(Duration.ofSeconds(2), Duration.ofSeconds(60)), CLOCK, header -> "trace",
        new Observability(new InMemoryTraceStore(10), () -> Tracing.NONE, new SecretRedactor(), "dev"), alerts,
        new CommandRunner(() -> workers), job -> { }, claims);
    return new DeferredJobRunner(new SignatureVerifier(discord.publicKeyHex(), Duration.ofMinutes(5), CLOCK), new InteractionParser(),
        dispatcher, editor, claims, alerts, Metrics.NONE, CLOCK);
  }

  private static DeferredJob commandJob(SignedInteraction interaction) {
    return new DeferredJob("trace-1", interaction, NOW.minusSeconds(2), NOW.minusMillis(500));
  }

  @Test
  void runsACommandJobDeliveredTwiceOnce() {
    AtomicInteger runs = new AtomicInteger();
    RecordingEditor editor = new RecordingEditor();
    DeferredJobRunner runner = runner(Claims.inMemory(CLOCK), acting(runs), editor);
    DeferredJob job = commandJob(signedBy(discord));

    assertEquals(DeferredJobRunner.Outcome.COMPLETED, runner.run(job));
    assertEquals(DeferredJobRunner.Outcome.DUPLICATE, runner.run(job));

    assertEquals(1, runs.get());
    assertEquals(List.of(InteractionResponse.message("acted")), editor.edits);
  }

  @Test
  void refusesTheJobOfACommandThatChangesSomethingWhenItsClaimCannotBeRecorded() {
    AtomicInteger runs = new AtomicInteger();
    RecordingEditor editor = new RecordingEditor();
    // The table: a store that is full, so it can record nothing.
    MemoryClaimStore full = new MemoryClaimStore(1, CLOCK);
    full.claim("someone-else", "t", NOW.plusSeconds(600));
    Claims claims = new Claims(Optional.of(() -> full), () -> true, full, Claims.retention(Duration.ofMinutes(5)), CLOCK, Metrics.NONE);

    DeferredJobRunner.Outcome outcome = runner(claims, acting(runs), editor).run(commandJob(signedBy(discord)));

    assertEquals(DeferredJobRunner.Outcome.UNCLAIMED, outcome);
    assertEquals(0, runs.get());
    assertEquals(1, editor.edits.size());
    assertTrue(editor.edits.get(0).content().startsWith("I could not make sure this runs only once"), editor.edits.get(0).content());
  }
}
