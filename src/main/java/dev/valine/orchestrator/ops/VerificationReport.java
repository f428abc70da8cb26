package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.discord.Markdown;
import dev.valine.orchestrator.discord.MessageText;
import dev.valine.orchestrator.github.RunJob;
import dev.valine.orchestrator.github.WorkflowRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one message a verification answers with: a first line with ✅, ❌, ⏳ or ⚠️ and the run's link, the run's
 * conclusion and its failed jobs and steps, then per target a heading naming the base and where it came from and
 * a line per check. It always fits one Discord message: when it would not, passing checks are summarised first,
 * then the last lines are cut, and the answer says how many were left out.
 */
final class VerificationReport {
  /** What the verification concluded. */
  enum Verdict {
    /** The run succeeded and every check passed. */
    PASSED,
    /** The run did not succeed, or a check failed. */
    FAILED,
    /** The run has not finished: nothing to judge yet. */
    PENDING,
    /** The run could not be read: the checks alone cannot say the deploy worked. */
    UNKNOWN
  }

  /** The run's part: the run when it could be read, its failed jobs, and what could not be read. */
  record RunPart(Optional<WorkflowRun> run, List<RunJob> failedJobs, Optional<String> problem) {
    RunPart {
      failedJobs = List.copyOf(failedJobs);
    }
  }

  /** One target's part: its resolution, its checks in path order, and how many paths were left unchecked. */
  record TargetPart(DeployTargets.Target target, List<CheckResult> checks, int unchecked) {
    TargetPart {
      checks = List.copyOf(checks);
    }
  }

  private static final int MAX_NAME = 80;
  private static final int MAX_LINE = 400;
  // "… and 1234 more lines not shown", with room to spare.
  private static final int CUT_NOTE_ROOM = 40;

  /** A line of the message; passing check lines may be summarised away when space runs out. */
  private record Line(String text, boolean passing) {
    Line {
      text = text.length() <= MAX_LINE ? text : text.substring(0, MAX_LINE - 1) + "…";
    }
  }

  private final String workflow;
  private final RunPart run;
  private final List<TargetPart> targets;

  VerificationReport(String workflow, RunPart run, List<TargetPart> targets) {
    this.workflow = workflow;
    this.run = run;
    this.targets = List.copyOf(targets);
  }

  Optional<WorkflowRun> run() {
    return run.run();
  }

  Verdict verdict() {
    Optional<WorkflowRun> found = run.run();
    if (found.isPresent() && !"completed".equals(found.get().status())) {
      // A deploy under way may be half out: checks now say nothing about its result.
      return Verdict.PENDING;
    }
    if (failures() > 0 || found.filter(r -> !r.conclusion().orElse("").equals("success")).isPresent()) {
      return Verdict.FAILED;
    }
    return found.isEmpty() ? Verdict.UNKNOWN : Verdict.PASSED;
  }

  /** Failed checks, and targets set to something that is not a URL. */
  int failures() {
    int failed = 0;
    for (TargetPart part : targets) {
      failed += part.target().state() == DeployTargets.State.INVALID ? 1 : 0;
      failed += (int) part.checks().stream().filter(check -> !check.passed()).count();
    }
    return failed;
  }

  private int checksRun() {
    return targets.stream().mapToInt(part -> part.checks().size()).sum();
  }

  /** The lines that show what failed, for the alert. */
  List<String> failingLines() {
    List<String> failing = new ArrayList<>();
    run.run().filter(r -> "completed".equals(r.status()) && !r.conclusion().orElse("").equals("success"))
        .ifPresent(r -> failing.add("Run #" + r.runNumber() + " of " + code(workflow) + " concluded " + code(r.conclusion().orElse("?"))));
    run.failedJobs().forEach(job -> failing.add(jobLine(job)));
    for (TargetPart part : targets) {
      if (part.target().state() == DeployTargets.State.INVALID) {
        failing.add("❌ " + part.target().name() + ": " + part.target().source());
      }
      part.checks().stream().filter(check -> !check.passed()).forEach(check -> failing.add(checkLine(check)));
    }
    return failing;
  }

  /** The message, with {@code trailer} lines (the diagnosis started beside it) always kept at its end. */
  String render(List<String> trailer) {
    List<Line> body = new ArrayList<>();
    run.run().ifPresent(r -> body.add(new Line(runLine(r), false)));
    run.problem().ifPresent(problem -> body.add(new Line("⚠️ " + problem, false)));
    run.failedJobs().forEach(job -> body.add(new Line(jobLine(job), false)));
    for (TargetPart part : targets) {
      body.add(new Line(heading(part.target()), false));
      for (CheckResult check : part.checks()) {
        body.add(new Line(checkLine(check), check.passed()));
        check.staleRisk().ifPresent(risk -> body.add(new Line("⚠️ " + risk, false)));
      }
      if (part.unchecked() > 0) {
        body.add(new Line("⚠️ " + part.unchecked() + " more path" + (part.unchecked() == 1 ? "" : "s") + " not checked: the bot checks "
            + TargetChecks.MAX_PATHS + " per target", false));
      }
    }
    return fit(headline(), body, trailer);
  }

  private String headline() {
    String link = run.run().map(r -> "run [#" + r.runNumber() + "](<" + r.htmlUrl() + ">)").orElse("the run");
    int checks = checksRun();
    int failed = failures();
    String counted = checks == 0 && failed == 0 ? "no target checked"
        : failed == 0 ? plural(checks, "check") + " passed"
        : failed + " of " + plural(Math.max(checks, failed), "check") + " failed";
    switch (verdict()) {
      case PASSED:
        return "✅ **Deploy verified** · " + link + " succeeded · " + counted;
      case FAILED:
        return "❌ **Deploy verification failed** · " + link + " " + run.run().map(VerificationReport::concluded).orElse("could not be read")
            + " · " + counted;
      case PENDING:
        return "⏳ **Deploy not finished** · " + link + " is " + run.run().map(WorkflowRun::status).orElse("").replace('_', ' ')
            + ": verify again when it ends · now " + counted;
      default:
        return "⚠️ **Deploy not verified** · " + link + " could not be read · " + counted;
    }
  }

  private String runLine(WorkflowRun r) {
    StringBuilder line = new StringBuilder("**Run** [#").append(r.runNumber()).append("](<").append(r.htmlUrl()).append(">) ")
        .append(code(workflow));
    if (!r.branch().isEmpty()) {
      line.append(" · ").append(code(r.branch()));
    }
    if (!r.title().isEmpty()) {
      line.append(" · ").append(code(r.title().lines().findFirst().orElse("")));
    }
    return line.append(" · ").append(runState(r)).toString();
  }

  /** "succeeded", "concluded failure". */
  private static String concluded(WorkflowRun r) {
    return r.conclusion().filter("success"::equals).isPresent() ? "succeeded" : "concluded " + runState(r);
  }

  private static String runState(WorkflowRun r) {
    return "completed".equals(r.status()) ? r.conclusion().orElse("no conclusion").replace('_', ' ') : r.status().replace('_', ' ');
  }

  private static String jobLine(RunJob job) {
    String steps = job.failedSteps().stream().map(step -> code(step.name())).collect(Collectors.joining(", "));
    return "❌ job " + code(job.name()) + (steps.isEmpty() ? " failed before any step" : " › " + steps)
        + " ([log](<" + job.htmlUrl() + ">))";
  }

  private static String heading(DeployTargets.Target target) {
    switch (target.state()) {
      case CONFIGURED:
        return "**" + target.name() + "** " + code(display(target)) + " · from " + target.source();
      case NOT_CONFIGURED:
        return "**" + target.name() + "** ⚠️ " + target.source() + "; nothing was checked there";
      default:
        return "**" + target.name() + "** ❌ " + target.source();
    }
  }

  private static String display(DeployTargets.Target target) {
    return target.base().map(TargetChecks::withoutQuery).orElse("");
  }

  private static String checkLine(CheckResult check) {
    StringBuilder line = new StringBuilder(check.passed() ? "✅ " : "❌ ").append(code(check.path()));
    check.status().ifPresent(status -> line.append(' ').append(status));
    if (check.passed() || check.status().isPresent()) {
      line.append(" · ").append(check.millis()).append(" ms");
    }
    if (check.redirects() > 0) {
      line.append(" · ").append(plural(check.redirects(), "redirect"));
      check.finalUrl().ifPresent(url -> line.append(" → ").append(code(url)));
    }
    check.problem().ifPresent(problem -> line.append(" · ").append(problem));
    check.retriedBecause().ifPresent(why -> line.append(" · retried after ").append(why));
    return line.toString();
  }

  /** The headline, as much of the body as fits, and the trailer, within Discord's limit. */
  private static String fit(String headline, List<Line> body, List<String> trailer) {
    String tail = trailer.isEmpty() ? "" : "\n" + String.join("\n", trailer);
    int room = MessageText.MAX_CONTENT - headline.length() - tail.length();
    if (length(body) <= room) {
      return headline + join(body) + tail;
    }
    // Passing checks go first, summarised in one line: failures and warnings are what the reader needs.
    List<Line> kept = new ArrayList<>(body);
    int passing = (int) kept.stream().filter(Line::passing).count();
    kept.removeIf(Line::passing);
    String summary = passing == 0 ? "" : "\n✅ " + plural(passing, "more passing check") + " not shown";
    List<Line> shown = new ArrayList<>();
    for (Line line : kept) {
      if (length(shown) + line.text().length() + 1 + summary.length() + CUT_NOTE_ROOM > room) {
        break;
      }
      shown.add(line);
    }
    int left = kept.size() - shown.size();
    String cut = left == 0 ? "" : "\n… and " + plural(left, "more line") + " not shown";
    // Fitting already; the guard only matters if the trailer alone were too long.
    return MessageText.fit(headline + join(shown) + cut + summary + tail, MessageText.MAX_CONTENT);
  }

  private static int length(List<Line> lines) {
    return lines.stream().mapToInt(line -> line.text().length() + 1).sum();
  }

  private static String join(List<Line> lines) {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append('\n').append(line.text()));
    return text.toString();
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** A name from GitHub or a setting, as inline code: no markdown or mention in it renders. */
  static String code(String text) {
    return Markdown.inlineCode(text, MAX_NAME);
  }
}
