package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.discord.Markdown;
import dev.valine.orchestrator.github.WorkflowRun;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The small pieces of text the ops answers are made of: durations, links, run states, and text from elsewhere
 * (GitHub names, artifact contents) made inert for Discord.
 */
final class RunText {
  // Discord markdown that could restyle the answer or mask a link's target (https://support.discord.com/hc/en-us/articles/210298617).
  private static final Pattern MARKDOWN = Pattern.compile("([\\\\*_~`|>\\[\\]()<])");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\s]+");

  private RunText() {}

  /** A link Discord shows without an embed preview, which would bury the answer. */
  static String link(String url) {
    return "<" + url + ">";
  }

  /**
   * Text from outside the bot on one line, at most {@code max} characters, with Discord markdown escaped, so that
   * it can neither restyle the answer nor pass a link off as another.
   */
  static String inert(String text, int max) {
    String line = CONTROL.matcher(text == null ? "" : text).replaceAll(" ").trim();
    if (line.length() > max) {
      int cut = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
      line = line.substring(0, cut) + "…";
    }
    // "@everyone" cannot ping (allowed_mentions is empty) but would still read as one: break it up.
    return MARKDOWN.matcher(line).replaceAll("\\\\$1").replace("@", "@\u200b");
  }

  /** A workflow or job name in bold, made inert. */
  static String name(String text) {
    return "**" + inert(text, 100) + "**";
  }

  /** What a run is doing, for an interim update: "queued", "in progress", "waiting". */
  static String state(WorkflowRun run) {
    return run.status().replace('_', ' ');
  }

  /** How a finished run ended: an emoji and a verb phrase. */
  record Conclusion(String emoji, String words) {}

  static Conclusion conclusion(WorkflowRun run) {
    String conclusion = run.conclusion().orElse("unknown");
    switch (conclusion) {
      case "success":
        return new Conclusion("✅", "succeeded");
      case "failure":
        return new Conclusion("❌", "failed");
      case "timed_out":
        return new Conclusion("❌", "timed out");
      case "startup_failure":
        return new Conclusion("❌", "failed to start");
      case "cancelled":
        return new Conclusion("⏹️", "was cancelled");
      case "skipped":
        return new Conclusion("⏭️", "was skipped");
      case "action_required":
        return new Conclusion("⚠️", "needs approval");
      default:
        return new Conclusion("⚠️", "ended " + Markdown.inlineCode(conclusion, 40));
    }
  }

  /** "run #57" when the number is known. */
  static String runLabel(Optional<WorkflowRun> run) {
    return run.filter(r -> r.runNumber() > 0).map(r -> "run #" + r.runNumber()).orElse("the run");
  }
}
