package dev.valine.orchestrator.command;

import static dev.valine.orchestrator.observability.LogField.kv;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's hold on a deferred job: the progress its command reads and records, the lease it keeps
 * renewing while the command runs, and the mark that the job is done. An attempt that stops renewing (it
 * crashed) loses the job to the next delivery once the lease lapses; an attempt that finds it has lost
 * the job stops, and leaves the reply to the attempt that holds it.
 */
final class JobClaim {
  private static final Logger LOG = LoggerFactory.getLogger(JobClaim.class);

  private final ClaimStore store;
  private final String key;
  private final String token;
  private final Clock clock;
  private final Duration lease;
  private final Progress progress;

  /** @param store null for a job that runs unclaimed (a read-only command whose claim could not be recorded) */
  private JobClaim(ClaimStore store, String key, String token, Clock clock, Duration lease, Map<String, String> recorded,
      boolean resumed) {
    this.store = store;
    this.key = key;
    this.token = token;
    this.clock = clock;
    this.lease = lease;
    this.progress = store == null ? Progress.forThisRunOnly()
        : new Progress(recorded, resumed, (name, value) -> store.record(key, token, name, value, clock.instant().plus(lease)));
  }

  static JobClaim held(ClaimStore store, String key, String token, Clock clock, Duration lease, Map<String, String> recorded,
      boolean resumed) {
    return new JobClaim(store, key, token, clock, lease, recorded, resumed);
  }

  /** A read-only command's job that runs without a claim: nothing to renew or finish. */
  static JobClaim unclaimed(Clock clock) {
    return new JobClaim(null, "", "", clock, Duration.ZERO, Map.of(), false);
  }

  Progress progress() {
    return progress;
  }

  /**
   * Extends the lease.
   *
   * @return false once another attempt holds the job; true while this one does, or when the store did not
   *     answer (the lease may then lapse, and the next recorded progress tells)
   */
  boolean renew() {
    if (store == null) {
      return true;
    }
    try {
      return store.renew(key, token, clock.instant().plus(lease));
    } catch (RuntimeException e) {
      LOG.warn("could not renew the lease on {}: {}", kv("claim", key), e.toString());
      return true;
    }
  }

  /** Marks the job done, so no later delivery runs it; an attempt that lost the job meanwhile is only logged. */
  void finish() {
    if (store == null) {
      return;
    }
    try {
      if (!store.finish(key, token)) {
        LOG.warn("job finished, but another attempt had taken it over {}", kv("claim", key));
      }
    } catch (RuntimeException e) {
      // The lease lapses on its own; a later delivery then takes the job over and resumes from its progress.
      LOG.warn("could not mark {} done: {}", kv("claim", key), e.toString());
    }
  }
}
