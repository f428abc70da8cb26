package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.Markdown;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.time.DurationText;
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
    text.append("\n**").append(Markdown.escape(workflow)).append("**\n");
    if (runs.isEmpty()) {
      text.append("No runs yet.\n");
    }
    for (WorkflowRun run : runs) {
      text.append(icon(run.outcome())).append(" [#").append(run.runNumber()).append("](<").append(run.htmlUrl()).append(">) ");
      if (!run.branch().isEmpty()) {
        text.append('`').append(run.branch().replace("`", "'")).append("` ");
      }
      text.append(Markdown.escape(shorten(run.title()))).append(" · ").append(DurationText.ago(Duration.between(run.startedAt(), now)));
      Duration took = run.duration(now);
      switch (run.outcome()) {
        case RUNNING:
          text.append(" · running for ").append(DurationText.of(took));
          break;
        case QUEUED:
          text.append(" · ").append(run.status().replace('_', ' '));
          break;
        default:
          text.append(" · took ").append(DurationText.of(took));
          if (run.outcome() == WorkflowRun.Outcome.OTHER || run.outcome() == WorkflowRun.Outcome.CANCELLED) {
            text.append(" · ").append(run.conclusion().orElse(run.status()).replace('_', ' '));
          }
      }
      text.append('\n');
    }
  }

  void failedSection(String workflow, String message) {
    text.append("\n**").append(Markdown.escape(workflow)).append("**\n⚠️ ").append(message).append('\n');
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

  private static String shorten(String title) {
    String oneLine = title.lines().findFirst().orElse("");
    return oneLine.length() <= MAX_TITLE ? oneLine : oneLine.substring(0, MAX_TITLE - 1) + "…";
  }

}
