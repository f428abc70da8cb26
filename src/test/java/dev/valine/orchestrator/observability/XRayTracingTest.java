package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.contexts.ThreadLocalSegmentContextResolver;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** X-Ray segments captured by a fake emitter instead of the UDP daemon Lambda runs beside us. */
class XRayTracingTest {
  private static final Instant STARTED = Instant.parse("2026-11-28T06:00:00Z");

  /** Collects what the recorder would send to the daemon. */
  static final class CapturingEmitter extends Emitter {
    final List<Segment> segments = new ArrayList<>();

    @Override
    public boolean sendSegment(Segment segment) {
      segments.add(segment);
      return true;
    }

    @Override
    public boolean sendSubsegment(Subsegment subsegment) {
      return true;
    }
  }

  private final CapturingEmitter emitter = new CapturingEmitter();
  private final AWSXRayRecorder recorder = recorder(emitter);

  private static AWSXRayRecorder recorder(Emitter emitter) {
    SegmentContextResolverChain contexts = new SegmentContextResolverChain();
    contexts.addResolver(new ThreadLocalSegmentContextResolver());
    return AWSXRayRecorderBuilder.standard().withEmitter(emitter).withSamplingStrategy(new AllSamplingStrategy())
        .withSegmentContextResolverChain(contexts).build();
  }

  private static TraceRecord trace(TraceStatus status) {
    return new TraceRecord("1-5759e988-bd862e3fe1be46a994272793", "1300000000000000001", "status", "53908232506183680",
        Optional.empty(), Optional.empty(), STARTED, Optional.of(STARTED.plusMillis(450)), status,
        List.of(new TraceStep("github.runs deploy.yml", TraceStatus.OK, STARTED.plusMillis(10), 300, Optional.of("3 runs")),
            new TraceStep("github.runs rollback.yml", TraceStatus.ERROR, STARTED.plusMillis(12), 120, Optional.of("NOT_FOUND HTTP 404"))),
        status == TraceStatus.ERROR ? Optional.of("boom") : Optional.empty(), Map.of());
  }

  private Subsegment recordUnderSegment(TraceRecord trace) {
    recorder.beginSegment("valine-orchestrator-test");
    new XRayTracing(recorder).record(trace, "prod");
    recorder.endSegment();
    return emitter.segments.get(0).getSubsegments().get(0);
  }

  @Test
  void writesOneSubsegmentPerCommandWithAChildPerStep() {
    Subsegment command = recordUnderSegment(trace(TraceStatus.OK));

    assertEquals("command status", command.getName());
    assertEquals(STARTED.getEpochSecond(), command.getStartTime(), 0.001);
    assertEquals(STARTED.getEpochSecond() + 0.450, command.getEndTime(), 0.001);
    List<Subsegment> steps = command.getSubsegments();
    assertEquals(List.of("github.runs deploy.yml", "github.runs rollback.yml"), steps.stream().map(Subsegment::getName).toList());
    assertEquals(0.300, steps.get(0).getEndTime() - steps.get(0).getStartTime(), 0.001, "the step's real duration");
    assertFalse(steps.get(0).isError());
    assertTrue(steps.get(1).isError());
  }

  @Test
  void annotatesWithTraceIdCorrelationIdCommandUserAndStage() {
    Subsegment command = recordUnderSegment(trace(TraceStatus.OK));

    assertEquals(Map.of("trace_id", "1-5759e988-bd862e3fe1be46a994272793", "correlation_id", "1300000000000000001", "command", "status",
        "user_id", "53908232506183680", "stage", "prod"), command.getAnnotations());
    assertEquals("prod", command.getSubsegments().get(0).getAnnotations().get("stage"));
  }

  @Test
  void marksAFailedCommandAsFault() {
    Subsegment command = recordUnderSegment(trace(TraceStatus.ERROR));

    assertTrue(command.isFault());
  }

  @Test
  void neverThrowsWithoutASegment() {
    // No beginSegment: the recorder has no context (as outside Lambda). Recording must not throw.
    AWSXRayRecorder lonely = recorder(new CapturingEmitter());
    lonely.setContextMissingStrategy(new com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy());

    new XRayTracing(lonely).record(trace(TraceStatus.OK), "dev");
  }

  @Test
  void buildsTheLambdaRecorderWithoutApacheHttpClient() {
    // The jar leaves Apache httpclient out; the Lambda recorder must not need it.
    XRayTracing.forLambda();
  }

  @Test
  void primingRecordsThroughTheSameCodeAndSerialisesWithoutSending() {
    assertEquals(1, XRayTracing.prime("dev"));
  }
}
