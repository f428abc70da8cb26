package dev.valine.orchestrator.secrets;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens in one Secrets Manager secret, a JSON object such as {@code {"botToken": "...", "githubToken": "..."}},
 * read on first use and kept for {@link #TTL}. Concurrent first uses share one read, and so do the uses that arrive
 * while a read is under way, also when it fails: a slow or throttled Secrets Manager costs each waiting request
 * one read's time, not one each. A read that fails is logged as one ERROR line naming the secret and the AWS error
 * code, and is kept for {@link #FAILURE_TTL}: uses within it get the same outcome at once, without a read or
 * another ERROR line; the first use after it reads again. A read abandoned by the command that asked is not kept.
 *
 * <p>When a refresh fails, the tokens read before go on being used ("stale if error", as in
 * https://www.rfc-editor.org/rfc/rfc5861#section-4) for up to {@link #MAX_STALENESS} past their {@link #TTL}; only
 * then, or when nothing was ever read, does a use fail with {@link SecretUnavailableException}. A token an upstream
 * rejected is the exception: it is not used again until a read replaces it, while the other key's token is.
 *
 * <p>Never logs, prints or puts into a message a token or any part of the secret's text.
 */
public final class SecretTokens {
  /**
   * How long a read is kept. A rotated token reaches this container within it even when the old token keeps
   * working (a 401 from Discord or GitHub renews at once), or within {@link #MAX_STALENESS} more while the secret
   * cannot be read; and a container makes at most four reads an hour when
   * nothing is rejected, far below Secrets Manager's quota and cost.
   */
  public static final Duration TTL = Duration.ofMinutes(15);
  /**
   * How long a failed read is kept. While the secret cannot be read, every command would otherwise wait up to
   * {@link Tokens#READS} for another read that fails, log another ERROR line, and, when Secrets Manager is
   * throttling, add its attempts to the load that throttles it. Ten seconds turns a burst of commands into one read
   * per container, yet is short enough that a fixed permission or a passing throttle reaches users within seconds,
   * with no deploy or restart.
   */
  public static final Duration FAILURE_TTL = Duration.ofSeconds(10);
  /**
   * How long past its {@link #TTL} a read's tokens are still used while every refresh fails. The tokens in memory
   * were valid when read and almost always still are: without this, one throttled or unanswered refresh would turn
   * every command of the container away for a {@link #FAILURE_TTL}, and an outage of Secrets Manager would stop
   * the bot at once. One more TTL gives a passing throttle or outage many reads (one per failure window) to
   * recover unnoticed by users, and the bound stays simple to state: no token served is older than twice the TTL.
   * Bounded, so that a lasting fault (a revoked permission, a deleted or malformed secret) reaches users as a clear
   * answer instead of hiding behind ever older tokens, and a token taken out of the secret but not revoked still
   * leaves every container within a known time. A token an upstream rejects is never used stale, whatever this says.
   */
  public static final Duration MAX_STALENESS = TTL;

  private static final Logger LOG = LoggerFactory.getLogger(SecretTokens.class);

  private final String secretName;
  private final SecretReader reader;
  private final Clock clock;
  private final Duration ttl;
  private final Duration failureTtl;
  private final Duration maxStaleness;
  // Guarded by this.
  private Map<String, Secret> cached;
  private Instant expires;
  private Instant staleUntil;
  /** Keys whose cached token an upstream rejected and no read has replaced since. */
  private final Set<String> rejectedKeys = new HashSet<>();
  private SecretUnavailableException failure;
  private Instant failureExpires;
  private CompletableFuture<Map<String, Secret>> reading;
  /** Counts {@link #invalidate()}s: a read started before one keeps nothing and records no failure. */
  private long generation;

  /** A read under way, whether the caller that got it must perform it, and the generation it belongs to. */
  private record Pending(CompletableFuture<Map<String, Secret>> read, boolean mine, long generation) {}

  /**
   * @param ttl how long a read is kept ({@link #TTL})
   * @param failureTtl how long a failed read is kept ({@link #FAILURE_TTL})
   * @param maxStaleness how long past {@code ttl} a read is still used while refreshes fail ({@link #MAX_STALENESS})
   */
  SecretTokens(String secretName, SecretReader reader, Clock clock, Duration ttl, Duration failureTtl, Duration maxStaleness) {
    this.secretName = Objects.requireNonNull(secretName, "secretName");
    this.reader = reader;
    this.clock = clock;
    this.ttl = ttl;
    this.failureTtl = failureTtl;
    this.maxStaleness = maxStaleness;
  }

  /** The secret's name or ARN, as {@code SECRET_ID} gives it. */
  public String secretName() {
    return secretName;
  }

  /**
   * The token under {@code key}, empty when the secret has no such key. Past {@link #TTL} the secret is read again;
   * when that read fails, the token read before is returned while it is within {@link #MAX_STALENESS}.
   *
   * @throws SecretUnavailableException when the secret cannot be read and no token read before may be used instead
   */
  public Optional<Secret> token(String key) {
    Pending pending;
    synchronized (this) {
      Instant now = clock.instant();
      if (usable(key, now) && now.isBefore(expires)) {
        return Optional.ofNullable(cached.get(key));
      }
      if (failedRecently(now)) {
        // Logged when it was read: the answer is the same as then, stale tokens or the same failure.
        if (usable(key, now)) {
          return Optional.ofNullable(cached.get(key));
        }
        throw failure;
      }
      pending = pending();
    }
    try {
      return Optional.ofNullable(await(pending).get(key));
    } catch (SecretUnavailableException e) {
      if (e.abandoned() && pending.mine()) {
        // This caller gave up its own read: it has gone, and the read says nothing about the secret.
        throw e;
      }
      synchronized (this) {
        if (usable(key, clock.instant())) {
          return Optional.ofNullable(cached.get(key));
        }
        if (!e.abandoned()) {
          throw e;
        }
        // Another caller gave up the read this one waited for; this one has not: one read of its own.
        pending = pending();
      }
      return Optional.ofNullable(await(pending).get(key));
    }
  }

  /**
   * After an upstream rejected {@code rejected}: reads again unless the kept token under {@code key} is already a
   * different one (another request renewed it), and says whether the token now differs from the rejected one. At
   * most one read: within {@link #FAILURE_TTL} of a failed read it fails at once, because a rejected token makes the
   * secret no more readable. The rejected token is not used again until a read replaces it, but the other keys' are:
   * a failed read here keeps them.
   *
   * @throws SecretUnavailableException when the secret cannot be read
   */
  boolean renew(String key, Secret rejected) {
    Pending pending;
    synchronized (this) {
      if (cached != null && !rejected.equals(cached.get(key))) {
        return cached.containsKey(key);
      }
      rejectedKeys.add(key);
      if (failedRecently(clock.instant())) {
        throw failure;
      }
      pending = pending();
    }
    return Optional.ofNullable(await(pending).get(key)).filter(fresh -> !fresh.equals(rejected)).isPresent();
  }

  /**
   * Forgets what was read, and a failed read: the next use reads again, with no stale token to fall back on. After a
   * SnapStart restore, and for tests.
   */
  public synchronized void invalidate() {
    cached = null;
    rejectedKeys.clear();
    failure = null;
    // A read under way finishes for those who asked before, and keeps nothing: the next use reads again.
    reading = null;
    generation++;
  }

  /** Builds the client the first read needs, without reading (SnapStart priming). */
  public void prepare() {
    reader.prepare();
  }

  /** Closes the client if it was built, with its timeout threads: for a throwaway app that is done. */
  void close() {
    reader.close();
  }

  /** Whether the kept token under {@code key} may be returned at {@code now}, fresh or stale. Guarded by this. */
  private boolean usable(String key, Instant now) {
    return cached != null && !rejectedKeys.contains(key) && now.isBefore(staleUntil);
  }

  /** Guarded by this. */
  private boolean failedRecently(Instant now) {
    return failure != null && now.isBefore(failureExpires);
  }

  /** Joins the read under way, or starts one. Guarded by this. */
  private Pending pending() {
    if (reading != null) {
      return new Pending(reading, false, generation);
    }
    reading = new CompletableFuture<>();
    return new Pending(reading, true, generation);
  }

  /** Performs the read if it is the caller's, and waits for its outcome; never called holding this. */
  private Map<String, Secret> await(Pending pending) {
    if (pending.mine()) {
      readInto(pending);
    }
    try {
      return pending.read().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SecretUnavailableException unavailable) {
        throw unavailable;
      }
      throw e;
    }
  }

  private void readInto(Pending pending) {
    try {
      pending.read().complete(readNow(pending));
    } catch (RuntimeException e) {
      failed(pending, e instanceof SecretUnavailableException known ? known : unexpected(e));
    } catch (Throwable t) {
      // The SDK's client is built by the first read, so a class that fails to load or initialize surfaces here (or a
      // checked exception thrown where none is declared). The waiters must still be released, or every later use
      // blocks on this read for ever; they get the failure as a SecretUnavailableException, like any other. The
      // Throwable is not ours to swallow: the reading thread rethrows it, so it reaches the handler's last resort.
      failed(pending, unexpected(t));
      throw t;
    }
  }

  /** Reads and parses the secret, keeps the values (unless invalidated meanwhile) and ends the read under way. */
  private Map<String, Secret> readNow(Pending pending) {
    SecretReader.Read fresh = reader.read();
    Map<String, Secret> values = parse(fresh.text());
    // How an engineer confirms a rotation reached this container: the version id matches the one put-secret-value printed.
    LOG.info("read the bot's tokens from Secrets Manager: {} {}", kv("secret_name", secretName), kv("version_id", fresh.versionId()));
    synchronized (this) {
      if (generation == pending.generation()) {
        cached = values;
        expires = clock.instant().plus(ttl);
        staleUntil = expires.plus(maxStaleness);
        rejectedKeys.clear();
        failure = null;
        reading = null;
      }
    }
    return values;
  }

  private SecretUnavailableException unexpected(Throwable e) {
    return new SecretUnavailableException(secretName, e.getClass().getSimpleName(), "unexpected failure");
  }

  /** Ends the read under way with {@code unavailable}, kept for the failure window unless the read was abandoned. */
  private void failed(Pending pending, SecretUnavailableException unavailable) {
    try {
      Instant keptUntil;
      synchronized (this) {
        Instant now = clock.instant();
        boolean current = generation == pending.generation();
        // An abandoned read says nothing about the secret: the next use reads again.
        if (current && !unavailable.abandoned()) {
          failure = unavailable;
          failureExpires = now.plus(failureTtl);
        }
        if (current) {
          reading = null;
        }
        keptUntil = current && cached != null && now.isBefore(staleUntil) ? staleUntil.truncatedTo(ChronoUnit.SECONDS) : null;
      }
      if (unavailable.abandoned()) {
        LOG.warn("a read of the bot's tokens was abandoned by the command that asked: {}", kv("secret_name", secretName));
      } else if (keptUntil == null) {
        // The one line an on-call engineer searches for (RUNBOOK.md, "Secret cannot be read"); no stack, no value.
        LOG.error("could not read the bot's tokens from Secrets Manager: {} {}", kv("secret_name", secretName),
            kv("error_code", unavailable.errorCode()));
      } else {
        // The same line, saying until when commands go on with what was read before (a rejected token excepted).
        LOG.error("could not read the bot's tokens from Secrets Manager: {} {}; the tokens read before are still used until {}",
            kv("secret_name", secretName), kv("error_code", unavailable.errorCode()), kv("stale_until", keptUntil.toString()));
      }
    } finally {
      // Whatever logging does, the waiters are released.
      pending.read().completeExceptionally(unavailable);
    }
  }

  /** The secret's string keys with non-blank values; anything else is reported without quoting the text. */
  private Map<String, Secret> parse(String text) {
    JsonNode json;
    try {
      json = Jackson.parse(text);
    } catch (IOException e) {
      // Not kept as the cause: the parser's message quotes the text, which is the secret.
      throw new SecretUnavailableException(secretName, "MalformedSecret", "its value is not JSON");
    }
    if (!json.isObject()) {
      throw new SecretUnavailableException(secretName, "MalformedSecret", "its value is not a JSON object");
    }
    Map<String, Secret> values = new HashMap<>();
    json.fields().forEachRemaining(field -> {
      if (field.getValue().isTextual() && !field.getValue().textValue().isBlank()) {
        values.put(field.getKey(), new Secret(field.getValue().textValue().trim()));
      }
    });
    return Map.copyOf(values);
  }

  /** A view of one key as a {@link TokenSource}. */
  public TokenSource source(String key) {
    return new TokenSource() {
      @Override
      public Optional<Secret> token() {
        return SecretTokens.this.token(key);
      }

      @Override
      public boolean renew(Secret rejected) {
        return SecretTokens.this.renew(key, rejected);
      }

      @Override
      public String origin() {
        return "secret " + secretName + " (key " + key + ")";
      }

      @Override
      public String toString() {
        return "TokenSource[" + origin() + "]";
      }
    };
  }

  @Override
  public String toString() {
    return "SecretTokens[" + secretName + "]";
  }
}
