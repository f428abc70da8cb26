package dev.valine.orchestrator.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report for a person: one line per check, its fix indented below it, and a last line that sums up. */
public final class TextReport {
  private TextReport() {}

  public static String render(Report report) {
    StringBuilder text = new StringBuilder();
    for (Check check : report.checks()) {
      text.append(check.status().symbol()).append(' ').append(check.name()).append(": ")
          .append(check.status() == Check.Status.SKIP ? "skipped: " : "").append(check.detail()).append('\n');
      check.fix().ifPresent(fix -> text.append("   fix: ").append(fix).append('\n'));
    }
    text.append('\n').append(summary(report)).append('\n');
    return text.toString();
  }

  /** E.g. "doctor: 2 failed, 9 passed, 1 warning, 3 skipped. fix the ❌ lines above, then run doctor again." */
  static String summary(Report report) {
    List<String> parts = new ArrayList<>();
    add(parts, report.count(Check.Status.FAIL), "failed", "failed");
    add(parts, report.count(Check.Status.PASS), "passed", "passed");
    add(parts, report.count(Check.Status.WARN), "warning", "warnings");
    add(parts, report.count(Check.Status.SKIP), "skipped", "skipped");
    String verdict;
    if (!report.passed()) {
      verdict = "fix the ❌ lines above, then run doctor again";
    } else if (report.count(Check.Status.PASS) + report.count(Check.Status.WARN) == 0) {
      // All skipped is no evidence of anything: most likely the stage's environment is not in this shell.
      verdict = "nothing was checked: run doctor with the stage's environment (README, \"Configuration\")";
    } else {
      verdict = "no check failed" + (report.count(Check.Status.WARN) > 0 ? "; mind the ⚠️ lines" : "");
    }
    return String.format(Locale.ROOT, "doctor: %s. %s.", String.join(", ", parts), verdict);
  }

  private static void add(List<String> parts, long count, String one, String many) {
    if (count > 0) {
      parts.add(count + " " + (count == 1 ? one : many));
    }
  }
}
