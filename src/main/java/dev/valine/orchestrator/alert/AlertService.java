package dev.valine.orchestrator.alert;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.observability.LogFields;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.SecretRedactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The alerter used when {@code ENABLE_ALERTS=true}: deduplicates and delivers on one background thread,
 * so that a slow or failing Discord never delays or fails a reply, and settles at the end of every
 * invocation ({@link Alerter#settle}). A failed delivery is logged (redacted, with the reason) and
 * counted, never thrown.
 *
 * <p>Thread-safe. It holds at most {@link #CAPACITY} alerts at once; one more is dropped and logged.
 * Each alert moves queued → deciding → posting → done. Settling releases the ones not done: the delivery
 * thread then leaves them alone, unless their post is already on the wire, which cannot be taken back
 * (its nonce makes the new owner's post of it return the same message).
 */
public final class AlertService implements Alerter {
  /** Alerts held at once. A command raises one or two; a burst past this is a fault of its own. */
  public static final int CAPACITY = 16;
  // Cut on the way out of this service, to Discord's embed limits, so a hand-off event stays small.
  private static final int TITLE_LIMIT = 200;
  private static final int DETAIL_LIMIT = 4096;
  private static final int FIELD_LIMIT = 256;
  private static final int LINK_LIMIT = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  private final Deduplicator deduplicator;
  private final AlertSink sink;
  private final SecretRedactor redactor;
  private final Clock clock;
  private final Metrics metrics;
  private final ThreadPoolExecutor delivery;
  private final List<Delivery> held = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  AlertService(Deduplicator deduplicator, AlertSink sink, SecretRedactor redactor, Clock clock, Metrics metrics) {
    this.deduplicator = deduplicator;
    this.sink = sink;
    this.redactor = redactor;
    this.clock = clock;
    this.metrics = metrics;
    // One thread; its queue also holds the tasks of released alerts until the thread skips them.
    this.delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(4 * CAPACITY), runnable -> {
      Thread thread = new Thread(runnable, "alert-delivery");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Alerts posted to the ops channel through the bot's Discord client. */
  public static AlertService toDiscord(Supplier<DiscordClient> discord, String channelId, Deduplicator deduplicator, String stage,
      Clock clock, Metrics metrics) {
    SecretRedactor redactor = new SecretRedactor();
    return new AlertService(deduplicator, new DiscordAlertSink(discord, channelId, new AlertMessage(redactor, stage)), redactor,
        clock, metrics);
  }

  /** {@code DRY_RUN=true}: alerts are deduplicated and logged as they would be posted. */
  public static AlertService dryRun(String channelId, Deduplicator deduplicator, String stage, Clock clock, Metrics metrics) {
    SecretRedactor redactor = new SecretRedactor();
    return new AlertService(deduplicator, new DryRunAlertSink(channelId, new AlertMessage(redactor, stage)), redactor, clock,
        metrics);
  }

  /** One alert on its way, and how far it got. */
  private static final class Delivery {
    enum Stage { QUEUED, DECIDING, POSTING, DONE }

    final Alert alert;
    final Instant raisedAt;
    // The raising command's log context (trace_id, user_id, …), for the lines the delivery thread writes.
    final Map<String, String> logContext;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    // Guarded by this.
    Stage stage = Stage.QUEUED;
    OptionalInt suppressedBefore;
    boolean released;

    Delivery(Alert alert, Instant raisedAt, OptionalInt suppressedBefore, Map<String, String> logContext) {
      this.alert = alert;
      this.raisedAt = raisedAt;
      this.suppressedBefore = suppressedBefore;
      this.logContext = logContext;
    }

    synchronized boolean isDone() {
      return stage == Stage.DONE;
    }

    /** Takes the alert out of the delivery thread's hands, as it stands; empty if it is done or already taken. */
    synchronized Optional<Release> release() {
      if (stage == Stage.DONE || released) {
        return Optional.empty();
      }
      released = true;
      // Deciding: the shared deduplicator may have recorded its window already; deciding again would call the
      // alert its own duplicate. Posting it without a decision risks one duplicate, never a loss.
      OptionalInt decided = stage == Stage.DECIDING ? OptionalInt.of(0) : suppressedBefore;
      return Optional.of(new Release(stage, decided));
    }
  }

  private record Release(Delivery.Stage stage, OptionalInt suppressedBefore) {}

  @Override
  public void raise(Alert alert) {
    try {
      enqueue(new Delivery(alert, clock.instant(), OptionalInt.empty(), MDC.getCopyOfContextMap()));
    } catch (RuntimeException e) {
      // Alerting must never fail the caller.
      logDropped(alert, "could not be queued: " + e);
    }
  }

  @Override
  public void resume(List<PendingAlert> alerts) {
    for (PendingAlert pending : alerts) {
      enqueue(new Delivery(pending.alert(), pending.raisedAt(), pending.suppressedBefore(), logContext(pending.alert())));
    }
  }

  /** The log context of the command that raised an alert in another invocation, for the lines written about it here. */
  private static Map<String, String> logContext(Alert alert) {
    Map<String, String> context = new HashMap<>();
    alert.traceId().ifPresent(id -> context.put(LogFields.TRACE_ID, id));
    alert.userId().ifPresent(id -> context.put(LogFields.USER_ID, id));
    alert.command().ifPresent(name -> context.put(LogFields.COMMAND, name));
    return context;
  }

  private void enqueue(Delivery alert) {
    boolean full;
    synchronized (held) {
      held.removeIf(Delivery::isDone);
      full = held.size() >= CAPACITY;
      if (!full) {
        held.add(alert);
      }
    }
    if (full) {
      logDropped(alert.alert, "the alert queue is full (" + CAPACITY + " alerts waiting)");
      return;
    }
    try {
      delivery.execute(() -> deliverWithContext(alert));
    } catch (RejectedExecutionException e) {
      synchronized (held) {
        held.remove(alert);
      }
      // Unless a settle took it meanwhile: then it is already on its way elsewhere.
      boolean ours = alert.release().isPresent();
      synchronized (alert) {
        alert.stage = Delivery.Stage.DONE;
      }
      alert.done.complete(null);
      if (ours) {
        logDropped(alert.alert, "the delivery thread is stalled with a full queue");
      }
    }
  }

  private void deliverWithContext(Delivery alert) {
    if (alert.logContext != null) {
      MDC.setContextMap(alert.logContext);
    }
    try {
      deliver(alert);
    } finally {
      synchronized (alert) {
        alert.stage = Delivery.Stage.DONE;
      }
      alert.done.complete(null);
      MDC.clear();
    }
  }

  private void deliver(Delivery alert) {
    OptionalInt decided;
    synchronized (alert) {
      if (alert.released) {
        return;
      }
      decided = alert.suppressedBefore;
      alert.stage = decided.isPresent() ? Delivery.Stage.POSTING : Delivery.Stage.DECIDING;
    }
    if (decided.isEmpty()) {
      // With a shared store this is a network call; it is made here so that it never delays a reply.
      AlertDeduplicator.Decision decision = deduplicator.decide(alert.alert.fingerprint());
      synchronized (alert) {
        if (alert.released) {
          return;
        }
        if (decision.send()) {
          alert.stage = Delivery.Stage.POSTING;
          alert.suppressedBefore = OptionalInt.of(decision.suppressedBefore());
        }
      }
      if (!decision.send()) {
        suppressed.incrementAndGet();
        metrics.alertSuppressed();
        LOG.info("alert suppressed: a similar one was sent in this window {} {} {}", kv("alert_title", alert.alert.title()),
            kv("alert_severity", alert.alert.severity().id()), kv("suppressed_in_window", decision.suppressedBefore()));
        return;
      }
      decided = OptionalInt.of(decision.suppressedBefore());
    }
    post(alert.alert, decided.getAsInt(), alert.raisedAt);
  }

  private void post(Alert alert, int suppressedBefore, Instant raisedAt) {
    try {
      sink.deliver(alert, suppressedBefore, raisedAt);
      sent.incrementAndGet();
      metrics.alertSent();
    } catch (Exception e) {
      failed.incrementAndGet();
      metrics.alertFailed();
      // Title and detail go through the log encoder's redaction like every other value.
      LOG.warn("alert not delivered {} {} {} {}", kv("alert_severity", alert.severity().id()), kv("alert_title", alert.title()),
          kv("alert_detail", alert.detail()), kv("reason", e.getMessage()));
    }
  }

  @Override
  public List<PendingAlert> settle(Duration maxWait) {
    awaitHeld(maxWait);
    List<PendingAlert> left = new ArrayList<>();
    List<Delivery.Stage> stages = new ArrayList<>();
    synchronized (held) {
      for (Delivery alert : held) {
        alert.release().ifPresent(release -> {
          left.add(new PendingAlert(outgoing(alert.alert), alert.raisedAt, release.suppressedBefore()));
          stages.add(release.stage());
        });
      }
      held.clear();
    }
    if (!left.isEmpty()) {
      LOG.info("alerts not delivered yet, taken back from the delivery thread {} {} {}", kv("alerts", left.size()),
          kv("waited_ms", Math.max(0, maxWait.toMillis())), kv("stages", stages.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList()));
    }
    return left;
  }

  @Override
  public void drop(List<PendingAlert> alerts, String reason) {
    alerts.forEach(pending -> logDropped(pending.alert(), reason));
  }

  @Override
  public void flush(Duration maxWait) {
    awaitHeld(maxWait);
  }

  private void awaitHeld(Duration maxWait) {
    CompletableFuture<?>[] waiting;
    synchronized (held) {
      held.removeIf(Delivery::isDone);
      waiting = held.stream().map(alert -> alert.done).toArray(CompletableFuture[]::new);
    }
    if (waiting.length == 0 || maxWait.isNegative() || maxWait.isZero()) {
      return;
    }
    try {
      CompletableFuture.allOf(waiting).get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The caller decides what becomes of the alerts still on their way.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Deliveries complete normally; nothing to add.
    }
  }

  /** Every alert that is given up is logged here, once, with its content (redacted by the log encoder too). */
  private void logDropped(Alert alert, String reason) {
    failed.incrementAndGet();
    metrics.alertFailed();
    LOG.warn("alert dropped: {}", reason, kv("reason", reason), kv("alert_severity", alert.severity().id()),
        kv("alert_title", redactor.redact(alert.title())), kv("alert_detail", redactor.redact(alert.detail())),
        kv("alert_trace_id", alert.traceId().orElse("")), kv("alert_command", alert.command().orElse("")));
  }

  /** The alert as it may leave this service: redacted, and cut to what Discord shows of it. */
  private Alert outgoing(Alert alert) {
    Map<String, String> links = new LinkedHashMap<>();
    Iterator<Map.Entry<String, String>> each = alert.links().entrySet().iterator();
    while (each.hasNext() && links.size() < PendingAlert.MAX_LINKS) {
      Map.Entry<String, String> link = each.next();
      links.put(cut(link.getKey(), FIELD_LIMIT), cut(link.getValue(), LINK_LIMIT));
    }
    return new Alert(alert.severity(), cut(alert.title(), TITLE_LIMIT), cut(alert.detail(), DETAIL_LIMIT),
        alert.traceId().map(value -> cut(value, FIELD_LIMIT)), alert.command().map(value -> cut(value, FIELD_LIMIT)),
        alert.userId().map(value -> cut(value, FIELD_LIMIT)), alert.errorType().map(value -> cut(value, FIELD_LIMIT)), links);
  }

  private String cut(String text, int limit) {
    return MessageText.fit(redactor.redact(text), limit);
  }

  public long sentCount() {
    return sent.get();
  }

  public long suppressedCount() {
    return suppressed.get();
  }

  /** Alerts that could not be posted, including those dropped. */
  public long failedCount() {
    return failed.get();
  }
}
