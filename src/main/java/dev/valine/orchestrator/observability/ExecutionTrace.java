package dev.valine.orchestrator.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of one command as it runs: timed steps, links, the error if any. Thread-safe, because steps
 * of parallel upstream calls end on HTTP client threads. Everything stored is redacted on the way in,
 * so a snapshot can be shown to the user or sent anywhere.
 *
 * <pre>{@code
 * try (ExecutionTrace.Step step = trace.step("github.runs deploy.yml")) {
 *   ...                      // closes as ok
 *   step.fail("HTTP 502");   // or records the failure
 * }
 * }</pre>
 */
public final class ExecutionTrace {
  // A trace is for people; past this many steps the rest are only counted.
  static final int MAX_STEPS = 200;

  private final String traceId;
  private final String correlationId;
  private final String command;
  private final String userId;
  private final Optional<String> guildId;
  private final Optional<String> channelId;
  private final Instant startedAt;
  private final Clock clock;
  private final SecretRedactor redactor;

  private final List<TraceStep> steps = new ArrayList<>();
  private final Map<String, String> links = new LinkedHashMap<>();
  private int droppedSteps;
  private TraceStatus status = TraceStatus.RUNNING;
  private String error;
  private Instant completedAt;

  public ExecutionTrace(String traceId, String correlationId, String command, String userId, Optional<String> guildId,
      Optional<String> channelId, Clock clock, SecretRedactor redactor) {
    this(traceId, correlationId, command, userId, guildId, channelId, clock.instant(), clock, redactor);
  }

  /**
   * @param startedAt when the command started; earlier than now for the deferred half of a command,
   *     whose trace continues the one the inline half began
   */
  public ExecutionTrace(String traceId, String correlationId, String command, String userId, Optional<String> guildId,
      Optional<String> channelId, Instant startedAt, Clock clock, SecretRedactor redactor) {
    this.traceId = traceId;
    this.correlationId = correlationId;
    this.command = command;
    this.userId = userId;
    this.guildId = guildId;
    this.channelId = channelId;
    this.clock = clock;
    this.redactor = redactor;
    this.startedAt = startedAt;
  }

  public String traceId() {
    return traceId;
  }

  /** Starts a timed step; close it (try-with-resources) or call {@link Step#ok}/{@link Step#fail}. */
  public Step step(String name) {
    return new Step(name, clock.instant());
  }

  /** Adds a step that ran elsewhere, such as the inline half of a deferred command. */
  public void addStep(String name, TraceStatus outcome, Instant started, Duration duration, String detail) {
    add(new TraceStep(name, outcome, started, Math.max(0, duration.toMillis()), Optional.ofNullable(detail).map(redactor::redact)));
  }

  public synchronized void link(String label, String url) {
    links.put(label, redactor.redact(url));
  }

  /** Marks the command failed with the error's type and (redacted) message. */
  public synchronized void fail(Throwable cause) {
    fail(describe(cause));
  }

  /** "IllegalStateException: disk full", or just the type when there is no message; not redacted. */
  public static String describe(Throwable cause) {
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  public synchronized void fail(String description) {
    status = TraceStatus.ERROR;
    error = redactor.redact(description);
  }

  /** Ends the trace: ok unless it failed. Later calls change nothing. */
  public synchronized void complete() {
    if (completedAt == null) {
      completedAt = clock.instant();
      if (status == TraceStatus.RUNNING) {
        status = TraceStatus.OK;
      }
    }
  }

  public synchronized TraceStatus status() {
    return status;
  }

  public synchronized TraceRecord snapshot() {
    List<TraceStep> copy = new ArrayList<>(steps);
    if (droppedSteps > 0) {
      copy.add(new TraceStep("… " + droppedSteps + " more steps not recorded", TraceStatus.OK, startedAt, 0, Optional.empty()));
    }
    return new TraceRecord(traceId, correlationId, command, userId, guildId, channelId, startedAt,
        Optional.ofNullable(completedAt), status, copy, Optional.ofNullable(error), links);
  }

  private synchronized void add(TraceStep step) {
    if (steps.size() >= MAX_STEPS) {
      droppedSteps++;
    } else {
      steps.add(step);
    }
  }

  /** One step in progress. Ends once: the first of ok, fail or close wins. */
  public final class Step implements AutoCloseable {
    private final String name;
    private final Instant started;
    private boolean ended;

    private Step(String name, Instant started) {
      this.name = name;
      this.started = started;
    }

    public void ok() {
      end(TraceStatus.OK, null);
    }

    public void ok(String detail) {
      end(TraceStatus.OK, detail);
    }

    public void fail(String detail) {
      end(TraceStatus.ERROR, detail);
    }

    @Override
    public void close() {
      end(TraceStatus.OK, null);
    }

    private void end(TraceStatus outcome, String detail) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      long millis = Duration.between(started, clock.instant()).toMillis();
      add(new TraceStep(name, outcome, started, millis, Optional.ofNullable(detail).map(redactor::redact)));
    }
  }
}
