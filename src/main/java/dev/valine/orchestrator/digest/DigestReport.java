package dev.valine.orchestrator.digest;

import dev.valine.orchestrator.discord.Markdown;
import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.github.WorkflowRun;
import dev.valine.orchestrator.time.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Renders a digest as one Discord message of at most 2,000 characters, whatever the number of workflows.
 * Each workflow has a full form (a heading, its numbers, its newest failure's link) and a one-line compact form.
 * The message uses the full form when everything fits, else the compact form; when even that is too long, it
 * shows the workflows that fit, in the configured order, and ends with how many more there are and how many of
 * those had failures. Lines are added or left out whole, so a link is never cut.
 */
final class DigestReport {
  private static final DateTimeFormatter WINDOW_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  // Names come from STATUS_WORKFLOWS; a long one must not crowd the others out of the message.
  private static final int FULL_NAME = 100;
  private static final int COMPACT_NAME = 40;
  private static final int LIMIT = MessageText.MAX_CONTENT;

  /** One workflow's two renderings, and whether it needs attention when it is left out. */
  private record Entry(String full, String compact, boolean troubled) {}

  private final String header;
  private final Instant now;
  private final List<Entry> entries = new ArrayList<>();

  DigestReport(String repo, String stage, DigestPeriod period, DigestPeriod.Window window, Instant now) {
    this.now = now;
    this.header = "**" + period.title() + " digest** · `" + repo + "` · stage `" + stage + "`\n"
        + "Completed runs created " + WINDOW_TIME.format(window.from()) + " → " + WINDOW_TIME.format(window.to()) + " UTC";
  }

  void add(WorkflowDigest digest) {
    String full = "**" + Markdown.escape(Formats.shorten(digest.workflow(), FULL_NAME)) + "**\n" + icon(digest) + ' ' + fullNumbers(digest)
        + digest.newestFailure().map(run -> "\nNewest failure: " + link("#" + run.runNumber(), run) + " · "
            + DurationText.ago(Duration.between(run.createdAt(), now))).orElse("");
    String compact = icon(digest) + " **" + Markdown.escape(Formats.shorten(digest.workflow(), COMPACT_NAME)) + "** · "
        + compactNumbers(digest) + digest.newestFailure().map(run -> " · " + link("newest failure", run)).orElse("");
    entries.add(new Entry(full, compact, digest.failures() > 0));
  }

  /**
   * @param message what went wrong, for the full form
   * @param brief a few words for the compact form ({@code HTTP 502}, {@code no answer in time})
   */
  void failed(String workflow, String message, String brief) {
    String full = "**" + Markdown.escape(Formats.shorten(workflow, FULL_NAME)) + "**\n⚠️ " + message;
    String compact = "⚠️ **" + Markdown.escape(Formats.shorten(workflow, COMPACT_NAME)) + "** · not fetched (" + brief + ")";
    entries.add(new Entry(full, compact, true));
  }

  String render() {
    String full = header + "\n\n" + String.join("\n\n", entries.stream().map(Entry::full).toList());
    if (full.length() <= LIMIT) {
      return full;
    }
    StringBuilder text = new StringBuilder(header).append('\n');
    for (int i = 0; i < entries.size(); i++) {
      String line = "\n" + entries.get(i).compact();
      // Room for this line and for the footer naming the workflows after it, so the footer always fits.
      String footerAfter = i + 1 < entries.size() ? footer(i + 1) : "";
      if (text.length() + line.length() + footerAfter.length() > LIMIT) {
        text.append(footer(i));
        break;
      }
      text.append(line);
    }
    // Only an absurd header (a stage name of thousands of characters) gets here over the limit; it has no links.
    return MessageText.fit(text.toString(), LIMIT);
  }

  /** "… and 8 more workflows (2 with failures)" for the entries from {@code first} on. */
  private String footer(int first) {
    List<Entry> left = entries.subList(first, entries.size());
    long troubled = left.stream().filter(Entry::troubled).count();
    return "\n… and " + left.size() + (left.size() == 1 ? " more workflow" : " more workflows")
        + (troubled == 0 ? "" : " (" + troubled + " with failures or not fetched)");
  }

  private static String fullNumbers(WorkflowDigest digest) {
    if (digest.runs() == 0 && !digest.truncated()) {
      return "no completed runs";
    }
    StringBuilder text = new StringBuilder(runCount(digest));
    text.append(": ").append(digest.successes()).append(" passed, ").append(digest.failures()).append(" failed");
    if (digest.otherRuns() > 0) {
      text.append(", ").append(digest.otherRuns()).append(" cancelled or skipped");
    }
    appendRateAndDurations(text, digest, "% success");
    return text.toString();
  }

  private static String compactNumbers(WorkflowDigest digest) {
    if (digest.runs() == 0 && !digest.truncated()) {
      return "no completed runs";
    }
    StringBuilder text = new StringBuilder(digest.truncated() ? "≥" + digest.runs() + " runs (bound reached)" : plural(digest.runs(), "run"));
    text.append(" · ").append(digest.failures()).append(" failed");
    appendRateAndDurations(text, digest, "%");
    return text.toString();
  }

  private static void appendRateAndDurations(StringBuilder text, WorkflowDigest digest, String percent) {
    OptionalInt rate = digest.successRate();
    if (rate.isPresent()) {
      text.append(" · ").append(rate.getAsInt()).append(percent);
    }
    digest.median().ifPresent(median -> text.append(" · median ").append(DurationText.of(median)));
    digest.slowest().ifPresent(slowest -> text.append(" · slowest ").append(DurationText.of(slowest)));
  }

  private static String runCount(WorkflowDigest digest) {
    return digest.truncated()
        ? "at least " + plural(digest.runs(), "run") + " (bound reached; the numbers cover the newest " + digest.runs() + ")"
        : plural(digest.runs(), "run");
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** ✅ nothing failed, ❌ something failed, ⚪ nothing ran to a verdict. */
  private static String icon(WorkflowDigest digest) {
    if (digest.failures() > 0) {
      return "❌";
    }
    return digest.successes() > 0 ? "✅" : "⚪";
  }

  /** A markdown link whose angle brackets keep Discord from embedding a preview of the run. */
  private static String link(String label, WorkflowRun run) {
    return "[" + label + "](<" + run.htmlUrl() + ">)";
  }
}
