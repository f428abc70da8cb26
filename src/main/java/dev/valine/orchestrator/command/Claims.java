package dev.valine.orchestrator.command;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.observability.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per interaction. Each interaction is claimed once when its request arrives ({@code claim#<id>}),
 * each deferred job once per attempt ({@code job#<id>}, with a lease and the command's progress), each
 * alert hand-off once ({@code alerts#<id>}), in the table every container shares when one is configured,
 * else in this container's memory.
 *
 * <p>When the table fails, what happens depends on the command. One that changes something is refused
 * ({@link Verdict#UNRECORDED}): without the claim nothing stops a replay or a duplicate job from acting
 * again. A read-only one goes on with a claim in this container's memory, the fallback logged and counted
 * ({@code StateStoreFallbacks}, {@code Store=claims}), as traces and alert dedup do.
 *
 * <p>Claims outlive everything that could deliver the interaction again: the signature window (a replay
 * is refused after it) and the interaction token (a job is refused after it), plus a margin.
 */
public final class Claims {
  /** What became of an interaction's claim. */
  public enum Verdict {
    /** This delivery holds the claim: run the command. */
    FIRST,
    /** The interaction was claimed before (a replay, or a second delivery): do not run it again. */
    REPEAT,
    /** The claim could not be recorded, and the command changes something: refuse it. */
    UNRECORDED
  }

  /**
   * What a delivery of a deferred job may do.
   *
   * @param status {@code STARTED} or {@code TAKEN_OVER}: run (resume) it with {@code claim}; {@code RUNNING_ELSEWHERE}
   *     or {@code DONE}: a duplicate; empty: the claim could not be recorded for a command that changes something
   * @param claim present when this delivery runs the job
   */
  record JobStart(Optional<ClaimStore.JobState> status, Optional<JobClaim> claim) {
    JobStart {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(claim, "claim");
    }
  }

  /** How long a job is an attempt's without a renewal: a crashed attempt's job is taken over this long after its last sign of life. */
  static final Duration LEASE = Duration.ofSeconds(30);
  /** How often a running job renews its lease: three chances before it lapses. */
  static final Duration RENEW_EVERY = Duration.ofSeconds(10);
  // Beyond the longest of the signature window and the token's lifetime.
  private static final Duration MARGIN = Duration.ofMinutes(10);
  private static final String STORE = "claims";

  private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

  private final Optional<Supplier<ClaimStore>> shared;
  private final BooleanSupplier sharedReady;
  private final ClaimStore local;
  private final Duration retention;
  private final Clock clock;
  private final Metrics metrics;
  private final Duration lease;
  private final Duration renewEvery;

  /**
   * @param shared the table's store, built on first use; empty when no table is configured
   * @param sharedReady whether the table's client is built: a read-only command's reply does not wait for
   *     it to be built (a cold start without SnapStart), and is claimed in memory meanwhile
   * @param local this container's memory
   * @param retention how long after Discord signed an interaction its claims are kept ({@link #retention(Duration)})
   */
  public Claims(Optional<Supplier<ClaimStore>> shared, BooleanSupplier sharedReady, ClaimStore local, Duration retention, Clock clock,
      Metrics metrics) {
    this(shared, sharedReady, local, retention, clock, metrics, LEASE, RENEW_EVERY);
  }

  /** @param lease and {@code renewEvery} in place of {@link #LEASE} and {@link #RENEW_EVERY}, for tests */
  Claims(Optional<Supplier<ClaimStore>> shared, BooleanSupplier sharedReady, ClaimStore local, Duration retention, Clock clock,
      Metrics metrics, Duration lease, Duration renewEvery) {
    this.lease = lease;
    this.renewEvery = renewEvery;
    this.shared = shared;
    this.sharedReady = sharedReady;
    this.local = local;
    this.retention = retention;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Claims in this container's memory only, kept the default signature window: for tests and tools. */
  public static Claims inMemory(Clock clock) {
    return new Claims(Optional.empty(), () -> false, new MemoryClaimStore(1_000, clock), retention(Duration.ofMinutes(5)), clock,
        Metrics.NONE);
  }

  /**
   * How long after Discord signed an interaction its claims must be kept: longer than a replay is accepted
   * ({@code SIGNATURE_MAX_AGE_SECONDS}) and than its token lives (15 minutes, the last moment a job runs).
   */
  public static Duration retention(Duration signatureMaxAge) {
    Duration longest = signatureMaxAge.compareTo(CommandDispatcher.TOKEN_LIFETIME) > 0 ? signatureMaxAge : CommandDispatcher.TOKEN_LIFETIME;
    return longest.plus(MARGIN);
  }

  /**
   * Claims an interaction as its request arrives, on the reply path.
   *
   * @param signedAt when Discord signed it; its claim expires {@code retention} later
   * @param acting whether its command changes something
   */
  public Verdict claimInteraction(String interactionId, Instant signedAt, boolean acting) {
    String key = "claim#" + interactionId;
    Instant expiresAt = signedAt.plus(retention);
    String token = UUID.randomUUID().toString();
    // A reply never waits for the table's client to be built (a cold start without SnapStart): the interaction
    // is claimed in memory meanwhile. For a command that changes something that is safe too, because it acts
    // only in its deferred job, whose claim is always taken in the table (beginJob): a replay that reaches
    // another container meanwhile launches a second job, and that job finds the first one's claim.
    if (shared.isPresent() && sharedReady.getAsBoolean()) {
      try {
        return shared.get().get().claim(key, token, expiresAt) ? Verdict.FIRST : Verdict.REPEAT;
      } catch (RuntimeException | LinkageError e) {
        if (acting) {
          LOG.error("claim store unavailable: a command that changes something is refused {}", kv("claim", key), e);
          return Verdict.UNRECORDED;
        }
        fellBack("claimed the interaction", e);
      }
    } else if (shared.isPresent()) {
      LOG.info("interaction claimed in this container's memory only: the DynamoDB client is not built yet{}",
          acting ? "; the job's claim in the table guards the act" : "");
    }
    try {
      return local.claim(key, token, expiresAt) ? Verdict.FIRST : Verdict.REPEAT;
    } catch (RuntimeException e) {
      if (acting) {
        LOG.error("claim not recorded: a command that changes something is refused {}", kv("claim", key), e);
        return Verdict.UNRECORDED;
      }
      LOG.warn("claim not recorded; the read-only command runs unclaimed {}: {}", kv("claim", key), e.toString());
      return Verdict.FIRST;
    }
  }

  /** Claims an alert hand-off: its alerts are taken once. Off the reply path; never refused for a failing store. */
  public boolean claimHandOff(String interactionId, Instant signedAt) {
    return claimOnce("alerts#" + interactionId, signedAt.plus(retention));
  }

  /**
   * Claims something done once whatever delivers it again (a scheduled post retried by Lambda, say), until
   * {@code expiresAt}. Off the reply path; when the table fails, claimed in this container's memory.
   *
   * @param key names what is done once, with a prefix of its own ({@code digest#2026-12-01})
   */
  public boolean claimOnce(String key, Instant expiresAt) {
    String token = UUID.randomUUID().toString();
    if (shared.isPresent()) {
      try {
        return shared.get().get().claim(key, token, expiresAt);
      } catch (RuntimeException | LinkageError e) {
        fellBack("claimed " + key, e);
      }
    }
    try {
      return local.claim(key, token, expiresAt);
    } catch (RuntimeException e) {
      LOG.warn("taken unclaimed {}: {}", kv("claim", key), e.toString());
      return true;
    }
  }

  /**
   * Starts, or takes over, a deferred job. Off the reply path, so the table's client is built if need be.
   *
   * @param acting whether its command changes something
   */
  JobStart beginJob(String interactionId, Instant signedAt, boolean acting) {
    String key = "job#" + interactionId;
    Instant expiresAt = signedAt.plus(retention);
    String token = UUID.randomUUID().toString();
    if (shared.isPresent()) {
      try {
        ClaimStore store = shared.get().get();
        return started(store, key, token, store.begin(key, token, clock.instant().plus(lease), expiresAt));
      } catch (RuntimeException | LinkageError e) {
        if (acting) {
          LOG.error("claim store unavailable: the job of a command that changes something is refused {}", kv("claim", key), e);
          return new JobStart(Optional.empty(), Optional.empty());
        }
        fellBack("claimed the job", e);
      }
    }
    try {
      return started(local, key, token, local.begin(key, token, clock.instant().plus(lease), expiresAt));
    } catch (RuntimeException e) {
      if (acting) {
        LOG.error("job claim not recorded: the job of a command that changes something is refused {}", kv("claim", key), e);
        return new JobStart(Optional.empty(), Optional.empty());
      }
      LOG.warn("job claim not recorded; the read-only command runs unclaimed {}: {}", kv("claim", key), e.toString());
      return new JobStart(Optional.of(new ClaimStore.JobState(ClaimStore.JobState.Status.STARTED, java.util.Map.of(), Optional.empty())),
          Optional.of(JobClaim.unclaimed(clock)));
    }
  }

  private JobStart started(ClaimStore store, String key, String token, ClaimStore.JobState state) {
    if (!state.runs()) {
      return new JobStart(Optional.of(state), Optional.empty());
    }
    boolean resumed = state.status() == ClaimStore.JobState.Status.TAKEN_OVER;
    return new JobStart(Optional.of(state), Optional.of(JobClaim.held(store, key, token, clock, lease, state.progress(), resumed)));
  }

  /** How often a running job renews its lease. */
  Duration renewEvery() {
    return renewEvery;
  }

  private void fellBack(String what, Throwable e) {
    metrics.stateStoreFallback(STORE);
    LOG.warn("claim store unavailable, {} in this container's memory: {}", what, e.toString());
  }
}
