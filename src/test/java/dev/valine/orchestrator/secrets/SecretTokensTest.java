package dev.valine.orchestrator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache over the secret's tokens, with a reader the test controls and an injected clock. */
class SecretTokensTest {
  private static final String NAME = "valine/test";
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T09:00:00Z"));
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static String secretWith(String botToken, String githubToken) {
    return "{\"botToken\":\"" + botToken + "\",\"githubToken\":\"" + githubToken + "\"}";
  }

  /** Answers each read with the next value of a list (the last one repeats), counting reads. */
  private static final class ScriptedReader implements SecretReader {
    private final List<Object> answers;
    private final AtomicInteger reads = new AtomicInteger();

    ScriptedReader(Object... answers) {
      this.answers = List.of(answers);
    }

    @Override
    public Read read() {
      int read = reads.getAndIncrement();
      Object answer = answers.get(Math.min(read, answers.size() - 1));
      if (answer instanceof RuntimeException failure) {
        throw failure;
      }
      return new Read((String) answer, "v-" + read);
    }
  }

  private SecretTokens tokens(SecretReader reader) {
    return new SecretTokens(NAME, reader, time, SecretTokens.TTL, SecretTokens.FAILURE_TTL, SecretTokens.MAX_STALENESS);
  }

  @Test
  void readsTheSecretOnceForManyUsesOfBothTokens() {
    String bot = "fake-bot-" + System.nanoTime();
    String github = "fake-gh-" + System.nanoTime();
    ScriptedReader reader = new ScriptedReader(secretWith(bot, github));
    SecretTokens tokens = tokens(reader);

    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.of(new Secret(bot)), tokens.token(Tokens.BOT_TOKEN_KEY));
      assertEquals(Optional.of(new Secret(github)), tokens.token(Tokens.GITHUB_TOKEN_KEY));
    }

    assertEquals(1, reader.reads.get());
  }

  @Test
  void readsAgainOnceTheCacheHasExpired() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"), secretWith("fake-new", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    tokens.token(Tokens.BOT_TOKEN_KEY);

    time.advance(SecretTokens.TTL.minusSeconds(1));
    assertEquals(Optional.of(new Secret("fake-old")), tokens.token(Tokens.BOT_TOKEN_KEY), "still fresh");
    time.advance(Duration.ofSeconds(1));

    assertEquals(Optional.of(new Secret("fake-new")), tokens.token(Tokens.BOT_TOKEN_KEY), "expired: read again");
    assertEquals(2, reader.reads.get());
  }

  @Test
  void concurrentFirstUsesShareOneRead() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(() -> {
      reads.incrementAndGet();
      reading.countDown();
      await(release);
      return new SecretReader.Read(secretWith("fake-bot", "fake-gh"), "v-1");
    });
    Future<Optional<Secret>> first = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    List<Future<Optional<Secret>>> others = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      others.add(threads.submit(() -> tokens.token(Tokens.GITHUB_TOKEN_KEY)));
    }

    release.countDown();

    assertEquals(Optional.of(new Secret("fake-bot")), first.get(5, TimeUnit.SECONDS));
    for (Future<Optional<Secret>> other : others) {
      assertEquals(Optional.of(new Secret("fake-gh")), other.get(5, TimeUnit.SECONDS));
    }
    assertEquals(1, reads.get());
  }

  @Test
  void aFailedReadIsSharedByItsWaitersAndKeptForTheFailureWindow() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(1, reading, release, reads, () -> {
      throw new SecretUnavailableException(NAME, "ThrottlingException", "Secrets Manager refused GetSecretValue");
    }));
    Future<Optional<Secret>> first = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    CompletableFuture<Optional<Secret>> second = waiting(() -> tokens.token(Tokens.BOT_TOKEN_KEY));

    release.countDown();

    Exception failure = assertThrows(Exception.class, () -> first.get(5, TimeUnit.SECONDS));
    assertTrue(failure.getCause() instanceof SecretUnavailableException, failure.toString());
    Throwable secondFailed = assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS)).getCause();
    assertTrue(secondFailed instanceof SecretUnavailableException, "the waiter got the same failure, without a read of its own");
    assertEquals(1, reads.get());
    assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY), "kept: the next use fails at once");
    assertEquals(1, reads.get());
    time.advance(SecretTokens.FAILURE_TTL);
    assertEquals(Optional.of(new Secret("fake-bot")), tokens.token(Tokens.BOT_TOKEN_KEY), "the first use after the window reads again");
    assertEquals(2, reads.get());
  }

  @Test
  void usesWithinTheFailureWindowGetTheSameFailureWithoutAReadOrAnotherErrorLine() {
    SecretUnavailableException denied = new SecretUnavailableException(NAME, "AccessDeniedException", "refused");
    ScriptedReader reader = new ScriptedReader(denied, secretWith("fake-bot", "fake-gh"));
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(reader);
      assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

      time.advance(SecretTokens.FAILURE_TTL.minusMillis(1));
      SecretUnavailableException again = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.GITHUB_TOKEN_KEY));

      assertSame(denied, again, "the same failure, naming the same secret and code");
      assertEquals(1, reader.reads.get());
      assertEquals(1, errorLines(logs).size(), logs.text());
    }
  }

  @Test
  void theFirstUseAfterTheFailureWindowReadsAgain() {
    ScriptedReader reader = new ScriptedReader(new SecretUnavailableException(NAME, "ThrottlingException", "refused"),
        new SecretUnavailableException(NAME, "AccessDeniedException", "refused"), secretWith("fake-bot", "fake-gh"));
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(reader);
      assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

      time.advance(SecretTokens.FAILURE_TTL);
      SecretUnavailableException second = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));
      time.advance(SecretTokens.FAILURE_TTL);
      Optional<Secret> fixed = tokens.token(Tokens.BOT_TOKEN_KEY);

      assertEquals("AccessDeniedException", second.errorCode(), "read again, and reported as it is now");
      assertEquals(Optional.of(new Secret("fake-bot")), fixed, "a fixed secret is picked up by the first use after the window");
      assertEquals(3, reader.reads.get());
      assertEquals(2, errorLines(logs).size(), "one ERROR line per failed read: " + logs.text());
    }
  }

  @Test
  void anAbandonedReadIsNotKept() {
    ScriptedReader reader = new ScriptedReader(
        new SecretUnavailableException(NAME, SecretUnavailableException.ABANDONED, "the read was abandoned"), secretWith("fake-bot", "fake-gh"));
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(reader);
      assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

      Optional<Secret> next = tokens.token(Tokens.BOT_TOKEN_KEY);

      assertEquals(Optional.of(new Secret("fake-bot")), next, "the command that asked gave up; the next use reads again at once");
      assertEquals(2, reader.reads.get());
      assertEquals(0, errorLines(logs).size(), logs.text());
    }
  }

  @Test
  void invalidatingForgetsAFailedRead() {
    ScriptedReader reader = new ScriptedReader(new SecretUnavailableException(NAME, "AccessDeniedException", "refused"),
        secretWith("fake-bot", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

    tokens.invalidate();

    assertEquals(Optional.of(new Secret("fake-bot")), tokens.token(Tokens.BOT_TOKEN_KEY), "read again, within the window");
    assertEquals(2, reader.reads.get());
  }

  @Test
  void aRenewalWhoseReadFailsIsKeptSoLaterRenewalsDoNotReadAgainAndTheOtherKeyKeepsWorking() {
    SecretUnavailableException throttled = new SecretUnavailableException(NAME, "ThrottlingException", "refused");
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"), throttled, secretWith("fake-new", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    Secret rejected = tokens.token(Tokens.BOT_TOKEN_KEY).orElseThrow();

    assertSame(throttled, assertThrows(SecretUnavailableException.class, () -> tokens.renew(Tokens.BOT_TOKEN_KEY, rejected)));
    assertSame(throttled, assertThrows(SecretUnavailableException.class, () -> tokens.renew(Tokens.BOT_TOKEN_KEY, rejected)),
        "another request's 401 within the window: no second read");
    assertSame(throttled, assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY)),
        "the rejected token is not handed out again");
    assertEquals(Optional.of(new Secret("fake-gh")), tokens.token(Tokens.GITHUB_TOKEN_KEY), "the other key's token still works");
    assertEquals(2, reader.reads.get());

    time.advance(SecretTokens.FAILURE_TTL);

    assertTrue(tokens.renew(Tokens.BOT_TOKEN_KEY, rejected), "after the window one read, which finds the rotated token");
    assertEquals(Optional.of(new Secret("fake-new")), tokens.token(Tokens.BOT_TOKEN_KEY));
    assertEquals(3, reader.reads.get());
  }

  @Test
  void aRejectedTokenWhoseRenewalFailedIsReadAgainByTheFirstUseAfterTheWindow() {
    SecretUnavailableException throttled = new SecretUnavailableException(NAME, "ThrottlingException", "refused");
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"), throttled, secretWith("fake-new", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    Secret rejected = tokens.token(Tokens.BOT_TOKEN_KEY).orElseThrow();
    assertThrows(SecretUnavailableException.class, () -> tokens.renew(Tokens.BOT_TOKEN_KEY, rejected));
    time.advance(SecretTokens.FAILURE_TTL);

    Optional<Secret> next = tokens.token(Tokens.BOT_TOKEN_KEY);

    assertEquals(Optional.of(new Secret("fake-new")), next, "not the rejected token, though the read is within its TTL");
    assertEquals(3, reader.reads.get());
  }

  @Test
  void aFailedRefreshServesTheTokensReadBeforeWithOneReadAndOneErrorLine() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-bot", "fake-gh"),
        new SecretUnavailableException(NAME, "ThrottlingException", "refused"));
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(reader);
      tokens.token(Tokens.BOT_TOKEN_KEY);
      Instant readAt = time.instant();
      time.advance(SecretTokens.TTL);

      Optional<Secret> bot = tokens.token(Tokens.BOT_TOKEN_KEY);
      Optional<Secret> github = tokens.token(Tokens.GITHUB_TOKEN_KEY);

      assertEquals(Optional.of(new Secret("fake-bot")), bot, "stale, not a failure");
      assertEquals(Optional.of(new Secret("fake-gh")), github);
      assertEquals(2, reader.reads.get(), "one refresh, kept for the failure window");
      List<JsonNode> errors = errorLines(logs);
      assertEquals(1, errors.size(), logs.text());
      JsonNode error = errors.get(0);
      assertEquals(NAME, error.path("secret_name").asText(), error.toString());
      assertEquals("ThrottlingException", error.path("error_code").asText());
      assertEquals(readAt.plus(SecretTokens.TTL).plus(SecretTokens.MAX_STALENESS).toString(), error.path("stale_until").asText());
      assertTrue(error.path("message").asText().startsWith("could not read the bot's tokens from Secrets Manager: "), error.toString());
      assertTrue(error.path("message").asText().contains("the tokens read before are still used until"), error.toString());
    }
  }

  @Test
  void concurrentUsesOfAFailedRefreshAllGetTheTokensReadBefore() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(2, reading, release, reads, () -> {
      throw new SecretUnavailableException(NAME, "ApiCallTimeoutException", "no answer from Secrets Manager");
    }));
    tokens.token(Tokens.BOT_TOKEN_KEY);
    time.advance(SecretTokens.TTL);
    Future<Optional<Secret>> first = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    CompletableFuture<Optional<Secret>> secondOutcome = waiting(() -> tokens.token(Tokens.GITHUB_TOKEN_KEY));

    release.countDown();

    assertEquals(Optional.of(new Secret("fake-bot")), first.get(5, TimeUnit.SECONDS));
    assertEquals(Optional.of(new Secret("fake-gh")), secondOutcome.get(5, TimeUnit.SECONDS), "the waiter too, without a read of its own");
    assertEquals(2, reads.get());
  }

  @Test
  void whileServingStaleTokensTheNextReadComesOnlyAfterTheFailureWindow() {
    SecretUnavailableException throttled = new SecretUnavailableException(NAME, "ThrottlingException", "refused");
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"), throttled, throttled, secretWith("fake-new", "fake-gh"));
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(reader);
      tokens.token(Tokens.BOT_TOKEN_KEY);
      time.advance(SecretTokens.TTL);
      tokens.token(Tokens.BOT_TOKEN_KEY);

      time.advance(SecretTokens.FAILURE_TTL.minusMillis(1));
      Optional<Secret> withinWindow = tokens.token(Tokens.BOT_TOKEN_KEY);
      int readsWithinWindow = reader.reads.get();
      time.advance(Duration.ofMillis(1));
      Optional<Secret> afterWindow = tokens.token(Tokens.BOT_TOKEN_KEY);
      int readsAfterWindow = reader.reads.get();
      time.advance(SecretTokens.FAILURE_TTL);
      Optional<Secret> recovered = tokens.token(Tokens.BOT_TOKEN_KEY);

      assertEquals(Optional.of(new Secret("fake-old")), withinWindow);
      assertEquals(2, readsWithinWindow, "no read within the failure window");
      assertEquals(Optional.of(new Secret("fake-old")), afterWindow, "read again, failed again: still the tokens read before");
      assertEquals(3, readsAfterWindow);
      assertEquals(Optional.of(new Secret("fake-new")), recovered, "the first read that works replaces them");
      assertEquals(4, reader.reads.get());
      assertEquals(2, errorLines(logs).size(), "one ERROR line per failed read: " + logs.text());
    }
  }

  @Test
  void staleTokensStopOnceTheMaximumStalenessHasPassed() {
    SecretUnavailableException throttled = new SecretUnavailableException(NAME, "ThrottlingException", "refused");
    ScriptedReader reader = new ScriptedReader(secretWith("fake-bot", "fake-gh"), throttled);
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(reader);
      tokens.token(Tokens.BOT_TOKEN_KEY);
      time.advance(SecretTokens.TTL.plus(SecretTokens.MAX_STALENESS).minusMillis(1));
      assertEquals(Optional.of(new Secret("fake-bot")), tokens.token(Tokens.BOT_TOKEN_KEY), "the last moment of staleness");

      time.advance(Duration.ofMillis(1));
      SecretUnavailableException withinWindow = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.GITHUB_TOKEN_KEY));
      int readsWithinWindow = reader.reads.get();
      time.advance(SecretTokens.FAILURE_TTL);
      SecretUnavailableException afterWindow = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

      assertSame(throttled, withinWindow, "the kept failure, at once");
      assertEquals(2, readsWithinWindow);
      assertSame(throttled, afterWindow, "read again, and nothing left to fall back on");
      assertEquals(3, reader.reads.get());
      List<JsonNode> errors = errorLines(logs);
      assertEquals(2, errors.size(), logs.text());
      assertTrue(errors.get(0).has("stale_until"), errors.get(0).toString());
      assertFalse(errors.get(1).has("stale_until"), "no tokens are served any more: " + errors.get(1));
    }
  }

  @Test
  void aRenewalWhileServingStaleTokensThrowsForTheRejectedKeyWithoutAReadAndKeepsTheOther() {
    SecretUnavailableException throttled = new SecretUnavailableException(NAME, "ThrottlingException", "refused");
    ScriptedReader reader = new ScriptedReader(secretWith("fake-bot", "fake-gh"), throttled);
    SecretTokens tokens = tokens(reader);
    tokens.token(Tokens.BOT_TOKEN_KEY);
    time.advance(SecretTokens.TTL);
    Secret rejected = tokens.token(Tokens.BOT_TOKEN_KEY).orElseThrow();

    SecretUnavailableException renewal = assertThrows(SecretUnavailableException.class, () -> tokens.renew(Tokens.BOT_TOKEN_KEY, rejected));

    assertSame(throttled, renewal, "within the failure window: the kept failure");
    assertEquals(2, reader.reads.get(), "no read for the renewal");
    assertSame(throttled, assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY)),
        "a rejected token is never served stale");
    assertEquals(Optional.of(new Secret("fake-gh")), tokens.token(Tokens.GITHUB_TOKEN_KEY), "the other token is");
    assertEquals(2, reader.reads.get());
  }

  @Test
  void anAbandonedRefreshIsNotAnsweredWithStaleTokensAndTheNextUseReadsAgain() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"),
        new SecretUnavailableException(NAME, SecretUnavailableException.ABANDONED, "the read was abandoned"), secretWith("fake-new", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    tokens.token(Tokens.BOT_TOKEN_KEY);
    time.advance(SecretTokens.TTL);

    SecretUnavailableException abandoned = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));
    Optional<Secret> next = tokens.token(Tokens.BOT_TOKEN_KEY);

    assertEquals(SecretUnavailableException.ABANDONED, abandoned.errorCode(), "its command was given up: nothing to answer");
    assertEquals(Optional.of(new Secret("fake-new")), next, "not kept as a failure: the next use reads at once");
    assertEquals(3, reader.reads.get());
  }

  @Test
  void invalidatingForgetsTheTokensSoNoneIsServedStale() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-bot", "fake-gh"),
        new SecretUnavailableException(NAME, "AccessDeniedException", "refused"));
    SecretTokens tokens = tokens(reader);
    tokens.token(Tokens.BOT_TOKEN_KEY);

    tokens.invalidate();

    assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY), "nothing from before the restore");
    assertEquals(2, reader.reads.get());
  }

  @Test
  void anErrorDuringAReadReleasesItsWaitersAndTheNextReadStillHappens() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(1, reading, release, reads, () -> {
      // What a lazily built SDK client throws when one of its classes cannot be loaded.
      throw new NoClassDefFoundError("fake/sdk/SecretsManagerClient");
    }));
    Future<Optional<Secret>> first = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    CompletableFuture<Optional<Secret>> secondOutcome = waiting(() -> tokens.token(Tokens.GITHUB_TOKEN_KEY));

    release.countDown();

    Throwable reader = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS)).getCause();
    Throwable waiter = assertThrows(ExecutionException.class, () -> secondOutcome.get(5, TimeUnit.SECONDS)).getCause();
    assertTrue(reader instanceof NoClassDefFoundError, "the reading thread rethrows the Error: " + reader);
    assertTrue(waiter instanceof SecretUnavailableException, "the waiter is released with a clear failure: " + waiter);
    assertEquals("NoClassDefFoundError", ((SecretUnavailableException) waiter).errorCode());
    assertEquals(1, reads.get());
    SecretUnavailableException kept = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertEquals("NoClassDefFoundError", kept.errorCode(), "kept for the failure window like any failed read");
    assertEquals(1, reads.get());
    time.advance(SecretTokens.FAILURE_TTL);
    assertEquals(Optional.of(new Secret("fake-bot")), tokens.token(Tokens.BOT_TOKEN_KEY), "no read is left hanging: the next one happens");
    assertEquals(2, reads.get());
  }

  /**
   * A reader whose read number {@code blocked} (counting from 1) signals {@code reading}, waits for {@code release},
   * then does what {@code outcome} says; every other read returns the secret.
   */
  private static SecretReader blockingAt(int blocked, CountDownLatch reading, CountDownLatch release, AtomicInteger reads,
      Supplier<SecretReader.Read> outcome) {
    return () -> {
      if (reads.incrementAndGet() == blocked) {
        reading.countDown();
        await(release);
        return outcome.get();
      }
      return new SecretReader.Read(secretWith("fake-bot", "fake-gh"), "v-" + reads.get());
    };
  }

  /**
   * Runs {@code use} on a daemon thread (were it never released, it must not keep the test JVM alive) and waits until
   * it waits for the read under way.
   */
  private static CompletableFuture<Optional<Secret>> waiting(Supplier<Optional<Secret>> use) {
    CompletableFuture<Optional<Secret>> outcome = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        outcome.complete(use.get());
      } catch (Throwable e) {
        outcome.completeExceptionally(e);
      }
    });
    thread.setDaemon(true);
    thread.start();
    awaitWaiting(thread);
    return outcome;
  }

  @Test
  void aWaiterOfARefreshItsStarterAbandonedGetsTheTokensReadBefore() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(2, reading, release, reads, () -> {
      throw new SecretUnavailableException(NAME, SecretUnavailableException.ABANDONED, "the read was abandoned");
    }));
    tokens.token(Tokens.BOT_TOKEN_KEY);
    time.advance(SecretTokens.TTL);
    Future<Optional<Secret>> starter = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    CompletableFuture<Optional<Secret>> waiter = waiting(() -> tokens.token(Tokens.GITHUB_TOKEN_KEY));

    release.countDown();

    Throwable gaveUp = assertThrows(ExecutionException.class, () -> starter.get(5, TimeUnit.SECONDS)).getCause();
    assertEquals(SecretUnavailableException.ABANDONED, ((SecretUnavailableException) gaveUp).errorCode(), "its own command gave up");
    assertEquals(Optional.of(new Secret("fake-gh")), waiter.get(5, TimeUnit.SECONDS), "the waiter did not give up: stale tokens");
    assertEquals(2, reads.get());
  }

  @Test
  void aWaiterOfAFirstReadItsStarterAbandonedReadsOnceItself() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(1, reading, release, reads, () -> {
      throw new SecretUnavailableException(NAME, SecretUnavailableException.ABANDONED, "the read was abandoned");
    }));
    Future<Optional<Secret>> starter = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    CompletableFuture<Optional<Secret>> waiter = waiting(() -> tokens.token(Tokens.GITHUB_TOKEN_KEY));

    release.countDown();

    assertThrows(ExecutionException.class, () -> starter.get(5, TimeUnit.SECONDS));
    assertEquals(Optional.of(new Secret("fake-gh")), waiter.get(5, TimeUnit.SECONDS), "nothing stale to serve: one read of its own");
    assertEquals(2, reads.get());
  }

  @Test
  void aReadUnderWayWhenInvalidatedAnswersItsCallerButKeepsNothing() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(1, reading, release, reads,
        () -> new SecretReader.Read(secretWith("fake-before-restore", "fake-gh"), "v-1")));
    Future<Optional<Secret>> before = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));

    tokens.invalidate();
    release.countDown();

    assertEquals(Optional.of(new Secret("fake-before-restore")), before.get(5, TimeUnit.SECONDS), "asked before: answered");
    assertEquals(Optional.of(new Secret("fake-bot")), tokens.token(Tokens.BOT_TOKEN_KEY), "nothing from before is kept");
    assertEquals(2, reads.get());
  }

  @Test
  void aCheckedExceptionThrownWhereNoneIsDeclaredStillReleasesTheWaiters() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SecretTokens tokens = tokens(blockingAt(1, reading, release, reads, () -> sneakyThrow(new IOException("fake: connection reset"))));
    Future<Optional<Secret>> starter = threads.submit(() -> tokens.token(Tokens.BOT_TOKEN_KEY));
    assertTrue(reading.await(5, TimeUnit.SECONDS));
    CompletableFuture<Optional<Secret>> waiter = waiting(() -> tokens.token(Tokens.GITHUB_TOKEN_KEY));

    release.countDown();

    assertTrue(assertThrows(ExecutionException.class, () -> starter.get(5, TimeUnit.SECONDS)).getCause() instanceof IOException);
    Throwable released = assertThrows(ExecutionException.class, () -> waiter.get(5, TimeUnit.SECONDS)).getCause();
    assertEquals("IOException", ((SecretUnavailableException) released).errorCode());
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable, R> R sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  /** Until the thread parks, waiting for the read under way (it never parks anywhere else on this path). */
  private static void awaitWaiting(Thread thread) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (thread.getState() != Thread.State.WAITING) {
      assertTrue(System.nanoTime() < until, "the second use never waited for the read: " + thread.getState());
      Thread.onSpinWait();
    }
  }

  @Test
  void renewsARejectedTokenWithOneReadAndSaysWhetherItChanged() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"), secretWith("fake-new", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    Secret rejected = tokens.token(Tokens.BOT_TOKEN_KEY).orElseThrow();

    assertTrue(tokens.renew(Tokens.BOT_TOKEN_KEY, rejected), "rotated: retry with the new token");
    assertEquals(Optional.of(new Secret("fake-new")), tokens.token(Tokens.BOT_TOKEN_KEY));
    assertEquals(2, reader.reads.get());
  }

  @Test
  void renewingATokenTheSecretStillHoldsSaysNoSoTheRejectionIsReported() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-revoked", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    Secret rejected = tokens.token(Tokens.BOT_TOKEN_KEY).orElseThrow();

    assertFalse(tokens.renew(Tokens.BOT_TOKEN_KEY, rejected));
    assertEquals(2, reader.reads.get(), "one fresh read, no more");
  }

  @Test
  void aRenewalAnotherRequestAlreadyMadeIsNotRepeated() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-old", "fake-gh"), secretWith("fake-new", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    Secret rejected = tokens.token(Tokens.BOT_TOKEN_KEY).orElseThrow();
    tokens.renew(Tokens.BOT_TOKEN_KEY, rejected);

    assertTrue(tokens.renew(Tokens.BOT_TOKEN_KEY, rejected), "a second request rejected with the old token retries with the new");
    assertEquals(2, reader.reads.get());
  }

  @Test
  void invalidatingMakesTheNextUseReadAgain() {
    ScriptedReader reader = new ScriptedReader(secretWith("fake-before", "fake-gh"), secretWith("fake-after", "fake-gh"));
    SecretTokens tokens = tokens(reader);
    tokens.token(Tokens.BOT_TOKEN_KEY);

    tokens.invalidate();

    assertEquals(Optional.of(new Secret("fake-after")), tokens.token(Tokens.BOT_TOKEN_KEY));
    assertEquals(2, reader.reads.get());
  }

  @Test
  void aMissingKeyIsNoTokenAndOtherKeysStillWork() {
    SecretTokens tokens = tokens(new ScriptedReader("{\"botToken\":\"fake-bot\",\"githubToken\":\"  \"}"));

    assertEquals(Optional.empty(), tokens.token(Tokens.GITHUB_TOKEN_KEY), "blank is absent");
    assertEquals(Optional.empty(), tokens.token("otherKey"));
    assertEquals(Optional.of(new Secret("fake-bot")), tokens.token(Tokens.BOT_TOKEN_KEY));
  }

  @Test
  void aSecretThatIsNotAJsonObjectFailsWithoutQuotingIt() {
    String text = "fake-plain-token-" + System.nanoTime();
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(new ScriptedReader(text));

      SecretUnavailableException error = assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

      assertEquals("MalformedSecret", error.errorCode());
      assertFalse(error.getMessage().contains(text) || error.userMessage().contains(text), error.getMessage());
      assertFalse(logs.text().contains(text), logs.text());
      assertEquals(1, errorLines(logs).size(), logs.text());
    }
  }

  @Test
  void logsOneErrorLineNamingTheSecretAndTheCodePerFailedRead() {
    try (LogCapture logs = new LogCapture()) {
      SecretTokens tokens = tokens(new ScriptedReader(new SecretUnavailableException(NAME, "AccessDeniedException", "refused")));

      assertThrows(SecretUnavailableException.class, () -> tokens.token(Tokens.BOT_TOKEN_KEY));

      List<JsonNode> errors = errorLines(logs);
      assertEquals(1, errors.size(), logs.text());
      assertEquals(NAME, errors.get(0).path("secret_name").asText(), errors.get(0).toString());
      assertEquals("AccessDeniedException", errors.get(0).path("error_code").asText());
    }
  }

  @Test
  void neverShowsATokenInItsStringForms() {
    String bot = "fake-bot-" + System.nanoTime();
    SecretTokens tokens = tokens(new ScriptedReader(secretWith(bot, "fake-gh")));
    TokenSource source = tokens.source(Tokens.BOT_TOKEN_KEY);

    source.token();

    assertFalse(tokens.toString().contains(bot) || source.toString().contains(bot) || source.token().toString().contains(bot));
    assertEquals("secret valine/test (key botToken)", source.origin());
  }

  private static List<JsonNode> errorLines(LogCapture logs) {
    return logs.lines().stream().filter(line -> line.path("level").asText().equals("ERROR")).toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
