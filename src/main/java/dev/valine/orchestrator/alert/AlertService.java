package dev.valine.orchestrator.alert;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.SecretRedactor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The alerter used when {@code ENABLE_ALERTS=true}: deduplicates and delivers on one background
 * thread so that a slow or failing Discord never delays or fails a reply. A failed delivery is logged
 * (redacted, with the reason) and counted; it is never thrown. Counts feed the metrics.
 */
public final class AlertService implements Alerter {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  private final Deduplicator deduplicator;
  private final AlertSink sink;
  private final ExecutorService delivery;
  private final List<CompletableFuture<Void>> pending = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Metrics metrics;

  AlertService(Deduplicator deduplicator, AlertSink sink, Metrics metrics) {
    this.deduplicator = deduplicator;
    this.sink = sink;
    this.metrics = metrics;
    this.delivery = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "alert-delivery");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Alerts posted to the ops channel through the bot's Discord client. */
  public static AlertService toDiscord(Supplier<DiscordClient> discord, String channelId, Deduplicator deduplicator, String stage,
      Clock clock, Metrics metrics) {
    return new AlertService(deduplicator,
        new DiscordAlertSink(discord, channelId, new AlertMessage(new SecretRedactor(), stage), clock), metrics);
  }

  /** {@code DRY_RUN=true}: alerts are deduplicated and logged as they would be posted. */
  public static AlertService dryRun(String channelId, Deduplicator deduplicator, String stage, Clock clock, Metrics metrics) {
    return new AlertService(deduplicator,
        new DryRunAlertSink(channelId, new AlertMessage(new SecretRedactor(), stage), clock), metrics);
  }

  @Override
  public void raise(Alert alert) {
    try {
      // The delivery thread logs with the raising command's context (trace_id, user_id, …). The dedup decision
      // is made there too: with a shared store it is a network call, which must not delay the reply.
      Map<String, String> logContext = MDC.getCopyOfContextMap();
      CompletableFuture<Void> delivered = CompletableFuture.runAsync(() -> {
        if (logContext != null) {
          MDC.setContextMap(logContext);
        }
        try {
          decideAndDeliver(alert);
        } finally {
          MDC.clear();
        }
      }, delivery);
      synchronized (pending) {
        pending.removeIf(CompletableFuture::isDone);
        pending.add(delivered);
      }
    } catch (RuntimeException e) {
      // Includes a rejected execution after shutdown: alerting must never fail the caller.
      failed.incrementAndGet();
      metrics.alertFailed();
      LOG.warn("alert not delivered {} {}", kv("alert_title", alert.title()), kv("reason", e.toString()));
    }
  }

  private void decideAndDeliver(Alert alert) {
    AlertDeduplicator.Decision decision = deduplicator.decide(alert.fingerprint());
    if (!decision.send()) {
      suppressed.incrementAndGet();
      metrics.alertSuppressed();
      LOG.info("alert suppressed: a similar one was sent in this window {} {} {}", kv("alert_title", alert.title()),
          kv("alert_severity", alert.severity().id()), kv("suppressed_in_window", decision.suppressedBefore()));
      return;
    }
    deliver(alert, decision.suppressedBefore());
  }

  private void deliver(Alert alert, int suppressedBefore) {
    try {
      sink.deliver(alert, suppressedBefore);
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
  public void flush(Duration maxWait) {
    CompletableFuture<?>[] waiting;
    synchronized (pending) {
      pending.removeIf(CompletableFuture::isDone);
      waiting = pending.toArray(CompletableFuture[]::new);
    }
    if (waiting.length == 0 || maxWait.isNegative() || maxWait.isZero()) {
      return;
    }
    try {
      CompletableFuture.allOf(waiting).get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.info("{} alert(s) still being delivered after {} ms; they continue in the background", waiting.length, maxWait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // deliver() catches everything; nothing to add
    }
  }

  public long sentCount() {
    return sent.get();
  }

  public long suppressedCount() {
    return suppressed.get();
  }

  public long failedCount() {
    return failed.get();
  }
}
