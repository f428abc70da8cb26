package dev.valine.orchestrator.observability;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.contexts.ThreadLocalSegmentContextResolver;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * X-Ray: one subsegment per command under Lambda's own segment, with one child per step (each upstream
 * call), annotated with {@code trace_id}, {@code correlation_id}, {@code command}, {@code user_id} and {@code stage} so they can be
 * searched in the console. Subsegments are written from the finished trace with the steps' real times,
 * on one thread, because steps of parallel calls end on HTTP client threads where X-Ray has no context.
 */
public final class XRayTracing implements Tracing {
  private static final Logger log = LoggerFactory.getLogger(XRayTracing.class);

  private final AWSXRayRecorder recorder;

  public XRayTracing(AWSXRayRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * The recorder for Lambda. Lambda decides sampling (the trace header's {@code Sampled} flag governs
   * every subsegment we add), and we never begin a segment of our own, so the strategy is never asked;
   * "all" is simply the cheapest to build (the localized rules are parsed with databind).
   */
  public static XRayTracing forLambda() {
    return new XRayTracing(AWSXRayRecorderBuilder.standard().withSamplingStrategy(new AllSamplingStrategy()).build());
  }

  /**
   * For SnapStart priming: records one made-up trace through the same code as {@link #record}, under a
   * segment of its own on a recorder whose emitter serialises every segment and sends nothing, so the
   * recorder's, the entities' and their serialiser's classes are in the snapshot. Lambda's own segment
   * does not exist before the snapshot, and nothing may reach the daemon from priming.
   *
   * @return how many segments were serialised (and dropped)
   */
  public static int prime(String stage) {
    AtomicInteger serialised = new AtomicInteger();
    Emitter dropping = new Emitter() {
      @Override
      public boolean sendSegment(Segment segment) {
        segment.serialize();
        serialised.incrementAndGet();
        return true;
      }

      @Override
      public boolean sendSubsegment(Subsegment subsegment) {
        subsegment.streamSerialize();
        return true;
      }
    };
    SegmentContextResolverChain contexts = new SegmentContextResolverChain();
    contexts.addResolver(new ThreadLocalSegmentContextResolver());
    AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard().withSamplingStrategy(new AllSamplingStrategy())
        .withEmitter(dropping).withSegmentContextResolverChain(contexts).build();
    Instant now = Instant.now();
    TraceRecord sample = new TraceRecord("snapstart-priming", "snapstart-priming", "status", "0", Optional.empty(), Optional.empty(),
        now, Optional.of(now.plusMillis(2)), TraceStatus.ERROR,
        List.of(new TraceStep("github.runs deploy.yml", TraceStatus.ERROR, now, 1, Optional.of("priming"))), Optional.of("priming"),
        Map.of());
    recorder.beginSegment("snapstart-priming");
    try {
      new XRayTracing(recorder).record(sample, stage);
    } finally {
      recorder.endSegment();
    }
    return serialised.get();
  }

  @Override
  public void record(TraceRecord trace, String stage) {
    try {
      Subsegment command = recorder.beginSubsegment("command " + trace.command());
      try {
        command.setStartTime(seconds(trace.startedAt()));
        annotate(command, trace, stage);
        for (TraceStep step : trace.steps()) {
          recordStep(trace, stage, step);
        }
        if (trace.status() == TraceStatus.ERROR) {
          command.setFault(true);
          trace.error().ifPresent(error -> command.putMetadata("valine", "error", error));
        }
        trace.completedAt().ifPresent(end -> command.setEndTime(seconds(end)));
      } finally {
        recorder.endSubsegment();
      }
    } catch (RuntimeException e) {
      // Tracing is a side channel: it must never fail or delay the reply.
      log.warn("could not record the X-Ray subsegments for trace {}", trace.traceId(), e);
    }
  }

  private void recordStep(TraceRecord trace, String stage, TraceStep step) {
    Subsegment subsegment = recorder.beginSubsegment(step.name());
    try {
      subsegment.setStartTime(seconds(step.startedAt()));
      subsegment.setEndTime(seconds(step.startedAt()) + step.durationMs() / 1000.0);
      annotate(subsegment, trace, stage);
      if (step.status() == TraceStatus.ERROR) {
        subsegment.setError(true);
      }
      step.detail().ifPresent(detail -> subsegment.putMetadata("valine", "detail", detail));
    } finally {
      recorder.endSubsegment();
    }
  }

  private static void annotate(Subsegment subsegment, TraceRecord trace, String stage) {
    subsegment.putAnnotation(LogFields.TRACE_ID, trace.traceId());
    subsegment.putAnnotation(LogFields.CORRELATION_ID, trace.correlationId());
    subsegment.putAnnotation(LogFields.COMMAND, trace.command());
    subsegment.putAnnotation(LogFields.USER_ID, trace.userId());
    subsegment.putAnnotation(LogFields.STAGE, stage);
  }

  private static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

}
