package dev.valine.orchestrator.command;

import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Renders {@code /status}: per workflow a heading and one line per run with outcome icon, run link,
 * branch, relative age and duration. Titles come from commits, so markdown in them is escaped.
 */
final class StatusReport {
  private static final int MAX_TITLE = 60;

  private final StringBuilder text = new StringBuilder();
  private final Instant now;

  StatusReport(String repo, String stage, Instant now) {
    this.now = now;
    text.append("**Deploy status** · `").append(repo).append("` · stage `").append(stage).append("`\n");
  }

  void section(String workflow, List<WorkflowRun> runs) {
    text.append("\n**").append(escape(workflow)).append("**\n");
    if (runs.isEmpty()) {
      text.append("No runs yet.\n");
    }
    for (WorkflowRun run : runs) {
      text.append(icon(run.outcome())).append(" [#").append(run.runNumber()).append("](<").append(run.htmlUrl()).append(">) ");
      if (!run.branch().isEmpty()) {
        text.append('`').append(run.branch().replace("`", "'")).append("` ");
      }
      text.append(escape(shorten(run.title()))).append(" · ").append(age(Duration.between(run.startedAt(), now)));
      Duration took = run.duration(now);
      switch (run.outcome()) {
        case RUNNING:
          text.append(" · running for ").append(duration(took));
          break;
        case QUEUED:
          text.append(" · ").append(run.status().replace('_', ' '));
          break;
        default:
          text.append(" · took ").append(duration(took));
          if (run.outcome() == WorkflowRun.Outcome.OTHER || run.outcome() == WorkflowRun.Outcome.CANCELLED) {
            text.append(" · ").append(run.conclusion().orElse(run.status()).replace('_', ' '));
          }
      }
      text.append('\n');
    }
  }

  void failedSection(String workflow, String message) {
    text.append("\n**").append(escape(workflow)).append("**\n⚠️ ").append(message).append('\n');
  }

  String render() {
    return text.toString().stripTrailing();
  }

  static String icon(WorkflowRun.Outcome outcome) {
    switch (outcome) {
      case SUCCESS:
        return "✅";
      case FAILURE:
        return "❌";
      case RUNNING:
        return "🔄";
      case QUEUED:
        return "⏳";
      default:
        return "⚪";
    }
  }

  /** "just now", "12 min ago", "5 h ago", "3 days ago". */
  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 60) {
      return "just now";
    }
    if (seconds < 3_600) {
      return seconds / 60 + " min ago";
    }
    if (seconds < 48 * 3_600) {
      return seconds / 3_600 + " h ago";
    }
    return seconds / 86_400 + " days ago";
  }

  /** "45s", "3m 05s", "1h 02m". */
  static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    // Not String.format: its first use initialises the locale data providers, a cost of a cold /status
    // (bench/first-use.sh).
    if (seconds < 3_600) {
      return seconds / 60 + "m " + twoDigits(seconds % 60) + "s";
    }
    return seconds / 3_600 + "h " + twoDigits((seconds % 3_600) / 60) + "m";
  }

  private static String twoDigits(long value) {
    return value < 10 ? "0" + value : Long.toString(value);
  }

  private static String shorten(String title) {
    String oneLine = title.lines().findFirst().orElse("");
    return oneLine.length() <= MAX_TITLE ? oneLine : oneLine.substring(0, MAX_TITLE - 1) + "…";
  }

  /** Escapes Discord markdown so a commit title cannot restyle or fake links in our message. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("\\*_~`|[]()<>#-".indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
