package dev.valine.orchestrator.secrets;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens in one Secrets Manager secret, a JSON object such as {@code {"botToken": "...", "githubToken": "..."}},
 * read on first use and kept for {@link #TTL}. Concurrent first uses share one read, and so do the uses that arrive
 * while a read is under way, also when it fails: a slow or throttled Secrets Manager costs each waiting request
 * one read's time, not one each. A read that fails is logged as one ERROR line naming the secret and the AWS error
 * code, and is kept for {@link #FAILURE_TTL}: uses within it fail at once with the same exception, without a read or
 * another ERROR line; the first use after it reads again. A read abandoned by the command that asked is not kept.
 *
 * <p>Never logs, prints or puts into a message a token or any part of the secret's text.
 */
public final class SecretTokens {
  /**
   * How long a read is kept. A rotated token reaches this container within it even when the old token keeps
   * working (a 401 from Discord or GitHub renews at once); and a container makes at most four reads an hour when
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

  private static final Logger LOG = LoggerFactory.getLogger(SecretTokens.class);

  private final String secretName;
  private final SecretReader reader;
  private final Clock clock;
  private final Duration ttl;
  private final Duration failureTtl;
  // Guarded by this.
  private Map<String, Secret> cached;
  private Instant expires;
  private SecretUnavailableException failure;
  private Instant failureExpires;
  private CompletableFuture<Map<String, Secret>> reading;

  /**
   * @param ttl how long a read is kept ({@link #TTL})
   * @param failureTtl how long a failed read is kept ({@link #FAILURE_TTL})
   */
  SecretTokens(String secretName, SecretReader reader, Clock clock, Duration ttl, Duration failureTtl) {
    this.secretName = Objects.requireNonNull(secretName, "secretName");
    this.reader = reader;
    this.clock = clock;
    this.ttl = ttl;
    this.failureTtl = failureTtl;
  }

  /** The secret's name or ARN, as {@code SECRET_ID} gives it. */
  public String secretName() {
    return secretName;
  }

  /**
   * The token under {@code key}, empty when the secret has no such key.
   *
   * @throws SecretUnavailableException when the secret cannot be read
   */
  public Optional<Secret> token(String key) {
    return Optional.ofNullable(values().get(key));
  }

  /**
   * After an upstream rejected {@code rejected}: reads again unless the kept token under {@code key} is already a
   * different one (another request renewed it), and says whether the token now differs from the rejected one. At
   * most one read: within {@link #FAILURE_TTL} of a failed read it fails at once, as {@link #token} does, because a
   * rejected token makes the secret no more readable.
   *
   * @throws SecretUnavailableException when the secret cannot be read
   */
  boolean renew(String key, Secret rejected) {
    synchronized (this) {
      if (cached != null && !rejected.equals(cached.get(key))) {
        return cached.containsKey(key);
      }
      cached = null;
    }
    return token(key).filter(fresh -> !fresh.equals(rejected)).isPresent();
  }

  /** Forgets what was read, and a failed read: the next use reads again. After a SnapStart restore, and for tests. */
  public synchronized void invalidate() {
    cached = null;
    failure = null;
  }

  /** Builds the client the first read needs, without reading (SnapStart priming). */
  public void prepare() {
    reader.prepare();
  }

  /** Closes the client if it was built, with its timeout threads: for a throwaway app that is done. */
  void close() {
    reader.close();
  }

  private Map<String, Secret> values() {
    CompletableFuture<Map<String, Secret>> read;
    boolean mine = false;
    synchronized (this) {
      Instant now = clock.instant();
      if (cached != null && now.isBefore(expires)) {
        return cached;
      }
      if (failure != null && now.isBefore(failureExpires)) {
        // Logged when it was read; the user's answer is the same as then.
        throw failure;
      }
      if (reading == null) {
        reading = new CompletableFuture<>();
        mine = true;
      }
      read = reading;
    }
    if (mine) {
      readInto(read);
    }
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SecretUnavailableException unavailable) {
        throw unavailable;
      }
      throw e;
    }
  }

  private void readInto(CompletableFuture<Map<String, Secret>> read) {
    try {
      read.complete(readNow());
    } catch (RuntimeException e) {
      failed(read, e instanceof SecretUnavailableException known ? known : unexpected(e));
    } catch (Error e) {
      // The SDK's client is built by the first read, so a class that fails to load or initialize surfaces here. The
      // waiters must still be released, or every later use blocks on this read for ever; they get the failure as a
      // SecretUnavailableException, like any other. The Error is not ours to swallow: the reading thread rethrows it,
      // so it reaches the handler's last resort with its stack.
      failed(read, unexpected(e));
      throw e;
    }
  }

  /** Reads and parses the secret, keeps the values and ends the read under way. */
  private Map<String, Secret> readNow() {
    SecretReader.Read fresh = reader.read();
    Map<String, Secret> values = parse(fresh.text());
    // How an engineer confirms a rotation reached this container: the version id matches the one put-secret-value printed.
    LOG.info("read the bot's tokens from Secrets Manager: {} {}", kv("secret_name", secretName), kv("version_id", fresh.versionId()));
    synchronized (this) {
      cached = values;
      expires = clock.instant().plus(ttl);
      failure = null;
      reading = null;
    }
    return values;
  }

  private SecretUnavailableException unexpected(Throwable e) {
    return new SecretUnavailableException(secretName, e.getClass().getSimpleName(), "unexpected failure");
  }

  /** Ends the read under way with {@code unavailable}, kept for the failure window unless the read was abandoned. */
  private void failed(CompletableFuture<Map<String, Secret>> read, SecretUnavailableException unavailable) {
    try {
      synchronized (this) {
        // An abandoned read says nothing about the secret: the next use reads again.
        if (!unavailable.abandoned()) {
          failure = unavailable;
          failureExpires = clock.instant().plus(failureTtl);
        }
        reading = null;
      }
      if (unavailable.abandoned()) {
        LOG.warn("a read of the bot's tokens was abandoned by the command that asked: {}", kv("secret_name", secretName));
      } else {
        // The one line an on-call engineer searches for (RUNBOOK.md, "Secret cannot be read"); no stack, no value.
        LOG.error("could not read the bot's tokens from Secrets Manager: {} {}", kv("secret_name", secretName),
            kv("error_code", unavailable.errorCode()));
      }
    } finally {
      // Whatever logging does, the waiters are released.
      read.completeExceptionally(unavailable);
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
