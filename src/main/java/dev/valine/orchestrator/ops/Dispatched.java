package dev.valine.orchestrator.ops;

import java.time.Instant;
import java.util.Optional;

/** Where one interaction's dispatch stands. */
sealed interface Dispatched {
  /**
   * The run is known.
   *
   * @param requestedAt when the dispatch was first sent (by this attempt or an earlier one): following is counted from it
   */
  record Known(long runId, Optional<String> htmlUrl, Instant requestedAt) implements Dispatched {}

  /**
   * The run is not known yet.
   *
   * @param accepted whether GitHub accepted the dispatch; false when an earlier attempt asked and stopped before its
   *     answer, or when GitHub's answer was unclear (a timeout, a 5xx)
   * @param unclearAnswer what this attempt told about GitHub's unclear answer, when that is why the run is unknown
   */
  record Unknown(Instant requestedAt, boolean accepted, Optional<String> unclearAnswer) implements Dispatched {
    Unknown(Instant requestedAt, boolean accepted) {
      this(requestedAt, accepted, Optional.empty());
    }
  }

  /**
   * Nothing to follow: the answer says why.
   *
   * @param refused whether the bot refused before anything was sent (not allowed, bad input)
   */
  record Ended(String text, boolean refused) implements Dispatched {}
}
