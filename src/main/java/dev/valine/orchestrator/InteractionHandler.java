package dev.valine.orchestrator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.DeferredJobRunner;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.ConfigException;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.digest.ScheduledDigest;
import dev.valine.orchestrator.deferral.MalformedJobException;
import dev.valine.orchestrator.endpoint.ApiGatewayEvents;
import dev.valine.orchestrator.endpoint.BadEventException;
import dev.valine.orchestrator.endpoint.HttpResponse;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.LogContext;
import dev.valine.orchestrator.observability.TraceIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda entry point ({@code dev.valine.orchestrator.InteractionHandler::handleRequest}): raw event
 * bytes in, response bytes out. Accepts HTTP API / Function URL (payload 2.0) and REST API (1.0) proxy
 * events, and the job events of its own asynchronous invocations ({@link JobEvents}: the deferred half of
 * a command, or alerts an earlier invocation handed on), and the daily digest's scheduled events
 * ({@link ScheduledDigest}), told apart by shape. Lambda freezes the process
 * once this returns; the dispatcher and the job runner settle the invocation's alerts before it does.
 * The {@link App} is built once per container, in the constructor, so a bad configuration fails the
 * init phase with one message naming every problem.
 */
public final class InteractionHandler implements RequestStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InteractionHandler.class);

  private final App app;
  // The first invocation of this container pays the cold start; logged as cold_start=true.
  private final AtomicBoolean coldStart = new AtomicBoolean(true);
  private final Optional<SnapStartPriming> priming;

  /** Called by the Lambda runtime: configuration from the environment, public key required. */
  public InteractionHandler() {
    this(startOrLog(() -> Config.fromEnvironment(System.getenv(), Config.PublicKey.REQUIRED)));
  }

  private InteractionHandler(Config config) {
    this(startOrLog(() -> new App(config, Clock.systemUTC())), config.lambda().snapStart());
  }

  private static <T> T startOrLog(Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigException e) {
      // Also as a JSON line, so the "level = ERROR" query finds it; then fail the init phase loudly.
      LOG.error("cannot start: {}", e.getMessage());
      throw e;
    }
  }

  /** For tests and {@code serve}: no SnapStart hooks. */
  public InteractionHandler(App app) {
    this(app, false);
  }

  /** @param snapStart whether to register the SnapStart priming hooks (Lambda sets {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) */
  private InteractionHandler(App app, boolean snapStart) {
    this.app = app;
    // Kept in a field: CRaC holds its resources weakly.
    this.priming = snapStart ? Optional.of(SnapStartPriming.register(app)) : Optional.empty();
  }

  @Override
  @SuppressWarnings("try") // the log context is used for its scope, not referenced in the body
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Optional<String> xrayHeader = xrayTraceHeader(context);
    HttpResponse response;
    boolean cold = coldStart.getAndSet(false);
    if (cold) {
      app.metrics().coldStart();
    }
    try (LogContext ignored = LogContext.forInvocation(context.getFunctionName(), context.getFunctionVersion(),
        context.getAwsRequestId(), cold, xrayHeader.flatMap(TraceIds::xrayRoot))) {
      try {
        JsonNode event = ApiGatewayEvents.parse(input.readAllBytes());
        if (JobEvents.isJob(event)) {
          output.write(runJob(event));
          output.flush();
          return;
        }
        if (ScheduledDigest.isScheduledEvent(event)) {
          String outcome = app.scheduledDigest().run(event).name().toLowerCase(java.util.Locale.ROOT);
          output.write(Jackson.bytes(Jackson.object().put("digest", outcome)));
          output.flush();
          return;
        }
        response = app.endpoint().handle(ApiGatewayEvents.decode(event).withXrayTraceHeader(xrayHeader));
      } catch (BadEventException e) {
        LOG.warn("unsupported Lambda event: {}", e.getMessage());
        response = HttpResponse.error(400, e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("unexpected failure decoding the Lambda event", e);
        response = HttpResponse.error(500, "internal error");
      }
    }
    output.write(ApiGatewayEvents.encode(response));
    output.flush();
  }

  /**
   * A job delivered by an asynchronous invocation: the deferred half of a command, or handed-on alerts.
   * Its result goes to Discord, not back to the caller, who does not wait; nothing is thrown, because a
   * Lambda retry of a job that was refused, expired or already ran could not do better.
   */
  private byte[] runJob(JsonNode event) {
    String outcome;
    try {
      outcome = app.jobs().run(JobEvents.decode(event)).name();
    } catch (MalformedJobException e) {
      LOG.error("deferred job refused: {}", e.getMessage());
      outcome = DeferredJobRunner.Outcome.REFUSED.name();
    } catch (RuntimeException e) {
      LOG.error("deferred job failed unexpectedly", e);
      outcome = "FAILED";
    }
    return Jackson.bytes(Jackson.object().put("job", outcome.toLowerCase(java.util.Locale.ROOT)));
  }

  /**
   * This invocation's X-Ray trace header. The Java runtime sets it per invocation in the Context (core
   * 1.4+) and in a system property. The {@code _X_AMZN_TRACE_ID} variable is not read: a JVM sees the
   * environment of its start, so it would name an old invocation's trace.
   */
  private static Optional<String> xrayTraceHeader(Context context) {
    return Optional.ofNullable(context.getXrayTraceId())
        .or(() -> Optional.ofNullable(System.getProperty("com.amazonaws.xray.traceHeader")))
        .filter(header -> !header.isBlank());
  }
}
