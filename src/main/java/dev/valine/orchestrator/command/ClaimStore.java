package dev.valine.orchestrator.command;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where "once per interaction" is recorded, by key: plain claims ({@code claim#<interaction id>}: this
 * interaction is being answered) and deferred jobs ({@code job#<interaction id>}: who runs it, until when,
 * what it has done so far). Implemented by this container's memory ({@link MemoryClaimStore}) and by the
 * table every container shares ({@code state.DynamoClaimStore}); {@link Claims} chooses between them.
 *
 * <p>Every write carries the caller's token, and a write repeated with the same token succeeds as the
 * first one did: the AWS SDK retries a write whose answer was lost, and that retry must not find "someone
 * else's" claim. Failures (a timeout, an error answer, a full memory) are thrown as unchecked exceptions;
 * the caller decides whether it may go on without a claim.
 */
public interface ClaimStore {
  /**
   * Claims {@code key} until {@code expiresAt}.
   *
   * @return true if this token holds the claim (now, or since an earlier try of this same call); false if
   *     another token does
   */
  boolean claim(String key, String token, Instant expiresAt);

  /**
   * Starts the job under {@code key} for this token, or takes it over from an attempt whose lease has
   * lapsed (it crashed, or its container was stopped), keeping what that attempt recorded.
   *
   * @param leaseUntil how long the job is this token's unless renewed
   */
  JobState begin(String key, String token, Instant leaseUntil, Instant expiresAt);

  /** Extends the lease; false if the job is no longer this token's (another attempt took it over, or it is done). */
  boolean renew(String key, String token, Instant leaseUntil);

  /** Records one fact of progress and extends the lease; false if the job is no longer this token's. */
  boolean record(String key, String token, String name, String value, Instant leaseUntil);

  /** Marks the job done, so that no later delivery runs it; false if it was no longer this token's. */
  boolean finish(String key, String token);

  /**
   * What {@link #begin} found.
   *
   * @param progress what earlier attempts recorded ({@link Status#TAKEN_OVER}); empty for a fresh start
   * @param leaseUntil until when the other attempt holds the job ({@link Status#RUNNING_ELSEWHERE})
   */
  record JobState(Status status, Map<String, String> progress, Optional<Instant> leaseUntil) {
    /** Whether this delivery runs the job, and from where. */
    public enum Status {
      /** Nobody ran it before: this attempt starts it. */
      STARTED,
      /** An earlier attempt stopped without finishing (its lease lapsed): this one resumes from its progress. */
      TAKEN_OVER,
      /** Another attempt holds a live lease on it: this delivery is a duplicate. */
      RUNNING_ELSEWHERE,
      /** It ran to its end: this delivery is a duplicate. */
      DONE
    }

    public JobState {
      Objects.requireNonNull(status, "status");
      progress = Map.copyOf(progress);
      Objects.requireNonNull(leaseUntil, "leaseUntil");
    }

    /** Whether this delivery holds the job now. */
    public boolean runs() {
      return status == Status.STARTED || status == Status.TAKEN_OVER;
    }
  }
}
