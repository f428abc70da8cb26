package dev.valine.orchestrator.digest;

import static dev.valine.orchestrator.digest.Runs.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.github.CompletedRuns;
import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DigestReportTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Pattern LINK = Pattern.compile("\\]\\(<(https://[^>\\s]+)>\\)");

  private static DigestReport report(DigestPeriod period) {
    return new DigestReport("octo-org/deploy-service", "prod", period, period.window(NOW), NOW);
  }

  private static WorkflowDigest mixed(String workflow) {
    return WorkflowDigest.of(workflow, new CompletedRuns(List.of(
        completed(412, "failure", NOW.minus(Duration.ofHours(3)), Duration.ofMinutes(3)),
        completed(411, "success", NOW.minus(Duration.ofHours(5)), Duration.ofMinutes(7).plusSeconds(12)),
        completed(410, "cancelled", NOW.minus(Duration.ofHours(6)), Duration.ofMinutes(1)),
        completed(409, "success", NOW.minus(Duration.ofHours(7)), Duration.ofMinutes(3).plusSeconds(10))), false));
  }

  @Test
  void showsEachWorkflowInFullWhenItFits() {
    DigestReport report = report(DigestPeriod.DAILY);
    report.add(mixed("deploy.yml"));
    report.add(WorkflowDigest.of("rollback.yml", new CompletedRuns(List.of(), false)));

    assertEquals("""
        **Daily digest** · `octo-org/deploy-service` · stage `prod`
        Completed runs created 2026-11-30 10:00 → 2026-12-01 10:00 UTC

        **deploy.yml**
        ❌ 4 runs: 2 passed, 1 failed, 1 cancelled or skipped · 66% success · median 3m 10s · slowest 7m 12s
        Newest failure: [#412](<https://github.com/octo-org/deploy-service/actions/runs/9000000412>) · 3 h ago

        **rollback.yml**
        ⚪ no completed runs""", report.render());
  }

  @Test
  void saysWhenTheBoundWasReached() {
    List<WorkflowRun> runs = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      runs.add(completed(i, "success", NOW.minusSeconds(60L * i), Duration.ofSeconds(45)));
    }
    DigestReport report = report(DigestPeriod.DAILY);
    report.add(WorkflowDigest.of("nightly.yml", new CompletedRuns(runs, true)));

    assertTrue(report.render().endsWith("\n✅ at least 500 runs (bound reached; the numbers cover the newest 500): 500 passed, "
        + "0 failed · 100% success · median 45s · slowest 45s"), report.render());
  }

  @Test
  void aWorkflowThatCouldNotBeFetchedShowsWhy() {
    DigestReport report = report(DigestPeriod.DAILY);
    report.add(mixed("deploy.yml"));
    report.failed("build.yml", "GitHub is having trouble (HTTP 502). Try again in a minute.", "HTTP 502");

    assertTrue(report.render().endsWith("\n\n**build.yml**\n⚠️ GitHub is having trouble (HTTP 502). Try again in a minute."),
        report.render());
  }

  @Test
  void theWeeklyHeaderNamesTheSevenDayWindowInUtc() {
    DigestReport report = report(DigestPeriod.WEEKLY);
    report.add(mixed("deploy.yml"));

    assertTrue(report.render().startsWith("**Weekly digest** · `octo-org/deploy-service` · stage `prod`\n"
        + "Completed runs created 2026-11-24 10:00 → 2026-12-01 10:00 UTC\n"), report.render());
  }

  @Test
  void tooLongForFullFormsGivesOneLinePerWorkflow() {
    DigestReport report = report(DigestPeriod.DAILY);
    for (int i = 1; i <= 10; i++) {
      report.add(mixed("deploy-" + i + ".yml"));
    }

    String text = report.render();

    assertTrue(text.length() <= MessageText.MAX_CONTENT, text.length() + " characters");
    assertTrue(text.contains("\n❌ **deploy\\-1.yml** · 4 runs · 1 failed · 66% · median 3m 10s · slowest 7m 12s · "
        + "[newest failure](<https://github.com/octo-org/deploy-service/actions/runs/9000000412>)\n"), text);
    assertEquals(10, text.lines().filter(line -> line.startsWith("❌ **deploy")).count());
    assertFalse(text.contains("… and"), text);
  }

  @Test
  void manyWorkflowsWithLongNamesFitOneMessageAndSayHowManyMoreThereAre() {
    DigestReport report = report(DigestPeriod.DAILY);
    for (int i = 1; i <= 20; i++) {
      String name = "the-nightly-end-to-end-regression-suite-for-the-customer-facing-frontend-" + i + ".yml";
      if (i % 2 == 0) {
        report.add(mixed(name));
      } else {
        report.add(WorkflowDigest.of(name, new CompletedRuns(List.of(completed(i, "success", NOW.minusSeconds(600), Duration.ofMinutes(2))),
            false)));
      }
    }

    String text = report.render();

    assertTrue(text.length() <= MessageText.MAX_CONTENT, text.length() + " characters");
    int shown = (int) text.lines().filter(line -> line.startsWith("✅ **") || line.startsWith("❌ **")).count();
    assertTrue(shown >= 5 && shown < 20, shown + " shown");
    int hidden = 20 - shown;
    long hiddenWithFailures = IntStream.rangeClosed(shown + 1, 20).filter(i -> i % 2 == 0).count();
    assertTrue(text.endsWith("\n… and " + hidden + " more workflows (" + hiddenWithFailures + " with failures or not fetched)"), text);
    assertTrue(text.contains("**the\\-nightly\\-end\\-to\\-…acing\\-frontend\\-1.yml**"), "shortened, told apart by their ends: " + text);
    assertTrue(text.contains("**the\\-nightly\\-end\\-to\\-…acing\\-frontend\\-2.yml**"), text);
    assertEveryLinkWhole(text);
  }

  @Test
  void aLinkIsNeverCutWhateverTheNumberOfWorkflows() {
    for (int count = 1; count <= 60; count++) {
      DigestReport report = report(DigestPeriod.WEEKLY);
      for (int i = 1; i <= count; i++) {
        report.add(mixed("w".repeat(i % 50 + 1) + ".yml"));
      }

      String text = report.render();

      assertTrue(text.length() <= MessageText.MAX_CONTENT, count + " workflows: " + text.length() + " characters");
      assertEveryLinkWhole(text);
    }
  }

  @Test
  void escapesMarkdownInWorkflowNames() {
    DigestReport report = report(DigestPeriod.DAILY);
    report.add(WorkflowDigest.of("[click](https://evil.example) *x*.yml", new CompletedRuns(List.of(), false)));

    assertTrue(report.render().contains("**\\[click\\]\\(https://evil.example\\) \\*x\\*.yml**"), report.render());
  }

  @Test
  void shortensInTheMiddleWithoutSplittingASurrogatePair() {
    assertEquals("abcd", Formats.shorten("abcd", 4));
    assertEquals("a…de", Formats.shorten("abcde", 4));
    assertEquals("ab…yz", Formats.shorten("abcdefwxyz", 5));
    assertEquals("a…yz", Formats.shorten("a😀cdefwxyz", 5), "the pair is dropped whole, not split");
    assertEquals("ab…z", Formats.shorten("abcdefwx😀z", 5), "the pair is dropped whole, not split");
  }

  /** Every link's target is a complete run URL, and every "](<" is closed. */
  private static void assertEveryLinkWhole(String text) {
    int opened = text.split("\\]\\(<", -1).length - 1;
    Matcher links = LINK.matcher(text);
    int whole = 0;
    while (links.find()) {
      assertTrue(links.group(1).matches("https://github\\.com/octo-org/deploy-service/actions/runs/[0-9]+"), links.group(1));
      whole++;
    }
    assertEquals(opened, whole, text);
  }
}
