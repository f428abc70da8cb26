package dev.valine.orchestrator.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a command has done so far, kept with its job's claim, so that an attempt that takes the job over
 * after a crash resumes instead of acting again. A command that changes something records a fact before
 * each act and the act's result after it, then reads them back first thing:
 *
 * <pre>{@code
 * Optional<String> runId = context.progress().get("dispatched_run_id");
 * if (runId.isEmpty()) {
 *   if (context.progress().get("dispatch").isPresent()) { ... an earlier attempt may have dispatched: find its run ... }
 *   context.progress().record("dispatch", "requested");   // before the act: a retry knows it may have happened
 *   runId = Optional.of(github.dispatch(...));
 *   context.progress().record("dispatched_run_id", runId.get());
 * }
 * follow(runId.get());
 * }</pre>
 *
 * <p>{@link #record} throws when the fact could not be written: the command must then stop without
 * acting. In the inline half (read-only commands only) progress is kept for the one run and nowhere else.
 */
public final class Progress {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");
  private static final int MAX_VALUE_CHARS = 1_024;

  /** Writes one fact to where the job's claim lives. */
  interface Writer {
    /**
     * @return false if the job is no longer this attempt's
     * @throws RuntimeException if the store failed
     */
    boolean write(String name, String value);
  }

  private final Map<String, String> recorded;
  private final boolean resumed;
  private final Writer writer;

  Progress(Map<String, String> recorded, boolean resumed, Writer writer) {
    this.recorded = Collections.synchronizedMap(new LinkedHashMap<>(recorded));
    this.resumed = resumed;
    this.writer = writer;
  }

  /** Progress kept for this run only: the inline half, and jobs of read-only commands that run unclaimed. */
  static Progress forThisRunOnly() {
    return new Progress(Map.of(), false, (name, value) -> true);
  }

  /** Whether an earlier attempt of this job stopped before its end: {@link #recorded()} holds what it recorded. */
  public boolean resumed() {
    return resumed;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(recorded.get(name));
  }

  /** Everything recorded so far, by this attempt and earlier ones, in the order it was first recorded. */
  public Map<String, String> recorded() {
    synchronized (recorded) {
      return Map.copyOf(recorded);
    }
  }

  /**
   * Records a fact (and extends this attempt's lease on the job).
   *
   * @param name lower case letters, digits and underscores, at most 64
   * @param value at most 1024 characters
   * @throws ProgressNotRecordedException if it could not be recorded: act no further
   */
  public void record(String name, String value) throws ProgressNotRecordedException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a progress name is 1 to 64 of [a-z0-9_], got '" + name + "'");
    }
    if (value.length() > MAX_VALUE_CHARS) {
      throw new IllegalArgumentException("a progress value is at most " + MAX_VALUE_CHARS + " characters, got " + value.length());
    }
    boolean stillOurs;
    try {
      stillOurs = writer.write(name, value);
    } catch (RuntimeException e) {
      throw new ProgressNotRecordedException(false, "progress '" + name + "' could not be recorded: " + e, e);
    }
    if (!stillOurs) {
      throw new ProgressNotRecordedException(true, "another attempt has taken this job over", null);
    }
    recorded.put(name, value);
  }
}
