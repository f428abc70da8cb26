package dev.valine.orchestrator.state;

import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A trace as the JSON text one DynamoDB item holds, never larger than {@code maxBytes}: DynamoDB refuses
 * items over 400 KB, and a trace must never fail to be written. A trace that does not fit first loses
 * the tail of long texts (step details, then the error), then steps from the end, replaced by one
 * marker step that says how many were trimmed.
 */
final class TraceItems {
  static final int MAX_DETAIL_CHARS = 500;
  static final int MAX_ERROR_CHARS = 4_000;
  private static final String CUT = "… (trimmed to fit the trace store)";

  private TraceItems() {}

  static String bounded(TraceRecord trace, int maxBytes) {
    String whole = Jackson.text(trace.toJson());
    if (fits(whole, maxBytes)) {
      return whole;
    }
    List<TraceStep> steps = new ArrayList<>();
    for (TraceStep step : trace.steps()) {
      steps.add(new TraceStep(step.name(), step.status(), step.startedAt(), step.durationMs(),
          step.detail().map(detail -> cut(detail, MAX_DETAIL_CHARS))));
    }
    Optional<String> error = trace.error().map(text -> cut(text, MAX_ERROR_CHARS));
    String text = Jackson.text(with(trace, steps, error).toJson());
    int dropped = 0;
    while (!fits(text, maxBytes) && !steps.isEmpty()) {
      steps.remove(steps.size() - 1);
      dropped++;
      List<TraceStep> marked = new ArrayList<>(steps);
      marked.add(new TraceStep("… " + dropped + " more steps trimmed to fit the trace store", TraceStatus.OK,
          trace.startedAt(), 0, Optional.empty()));
      text = Jackson.text(with(trace, marked, error).toJson());
    }
    return text;
  }

  private static boolean fits(String json, int maxBytes) {
    // UTF-8 needs at most 3 bytes per char of the BMP (4 per surrogate pair, i.e. 2 per char): a cheap bound first.
    return json.length() * 3 <= maxBytes || json.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
  }

  private static String cut(String text, int maxChars) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + CUT;
  }

  private static TraceRecord with(TraceRecord trace, List<TraceStep> steps, Optional<String> error) {
    return new TraceRecord(trace.traceId(), trace.correlationId(), trace.command(), trace.userId(), trace.guildId(),
        trace.channelId(), trace.startedAt(), trace.completedAt(), trace.status(), steps, error, trace.links());
  }
}
