package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.time.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a trace for {@code /debug-last}: command, status, trace id, start, duration, each step, the
 * error and the links, always within Discord's 2000 characters. When the steps do not fit, the first
 * ones are kept and the rest counted, so the error and the trace id are never the part that is cut.
 */
final class TraceReport {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int MAX_DETAIL = 160;
  private static final int MAX_ERROR = 400;

  private TraceReport() {}

  static String render(TraceRecord trace, Instant now) {
    String head = "**Your last command:** `/" + trace.command() + "` · " + icon(trace.status()) + " " + trace.status().id()
        + trace.durationMs().map(ms -> " · " + ms + " ms").orElse("") + "\n"
        + "Trace `" + trace.traceId() + "` · started " + CLOCK.format(trace.startedAt()) + " UTC ("
        + DurationText.ago(Duration.between(trace.startedAt(), now)) + ")\n";
    StringBuilder tail = new StringBuilder();
    trace.error().ifPresent(error -> tail.append("**Error:** ").append(cut(error, MAX_ERROR)).append('\n'));
    if (!trace.links().isEmpty()) {
      tail.append("**Links:**\n");
      for (Map.Entry<String, String> link : trace.links().entrySet()) {
        tail.append("• ").append(link.getKey()).append(": <").append(link.getValue()).append(">\n");
      }
    }
    tail.append("Search the logs for this trace id to see every line it wrote.");

    List<TraceStep> steps = trace.steps();
    int budget = MessageText.MAX_CONTENT - head.length() - tail.length() - 40;
    StringBuilder body = new StringBuilder(steps.isEmpty() ? "No steps recorded.\n" : "**Steps:**\n");
    for (int i = 0; i < steps.size(); i++) {
      String line = line(steps.get(i));
      if (body.length() + line.length() > budget) {
        body.append("… and ").append(steps.size() - i).append(" more steps\n");
        break;
      }
      body.append(line);
    }
    return MessageText.fit(head + body + tail, MessageText.MAX_CONTENT);
  }

  private static String line(TraceStep step) {
    return icon(step.status()) + " `" + step.name() + "` · " + step.durationMs() + " ms"
        + step.detail().map(detail -> " — " + cut(detail, MAX_DETAIL)).orElse("") + "\n";
  }

  private static String icon(TraceStatus status) {
    switch (status) {
      case OK:
        return "✅";
      case ERROR:
        return "❌";
      default:
        return "🔄";
    }
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
