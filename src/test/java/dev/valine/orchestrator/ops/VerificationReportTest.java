package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.github.RunJob;
import dev.valine.orchestrator.github.WorkflowRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class VerificationReportTest {
  private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");

  private static WorkflowRun run(String status, String conclusion) {
    return new WorkflowRun(9_000_000_042L, "Deploy", 42, "Release `42` @everyone", status, Optional.ofNullable(conclusion),
        "https://github.com/octo-org/deploy-service/actions/runs/9000000042", "main", "push", STARTED, STARTED.plusSeconds(180), STARTED);
  }

  private static DeployTargets.Target frontend(List<String> paths) {
    return new DeployTargets.Target("Frontend", DeployTargets.State.CONFIGURED, Optional.of(HttpUrl.get("https://app.example.com/")),
        "repository variable `FRONTEND_BASE_URL`", paths);
  }

  private static CheckResult passed(String path) {
    return new CheckResult("Frontend", path, Optional.of(200), 31, 0, 1, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  private static CheckResult failed(String path) {
    return new CheckResult("Frontend", path, Optional.empty(), 4_000, 0, 2, Optional.empty(),
        Optional.of("app.example.com did not answer within 4.0 s."), Optional.of("timed out"), Optional.empty());
  }

  private static RunJob failedJob(int i) {
    return new RunJob(i, "deploy shard " + i + " with a long descriptive name that goes on and on", "completed", Optional.of("failure"),
        "https://github.com/octo-org/deploy-service/actions/runs/9000000042/job/" + i, Optional.empty(), Optional.empty(),
        List.of(new RunJob.Step("Upload the build output to the bucket and then some more words", 3, "completed", Optional.of("failure"))));
  }

  @Test
  void namesFromGitHubCannotStyleOrMention() {
    VerificationReport report = new VerificationReport("deploy.yml",
        new VerificationReport.RunPart(Optional.of(run("completed", "success")), List.of(), Optional.empty()), List.of());

    String text = report.render(List.of());

    assertTrue(text.contains("`Release '42' @everyone`"), text);
  }

  @Test
  void manyFailedJobsAndChecksStillFitWithTheTrailerKept() {
    List<String> paths = IntStream.rangeClosed(1, 15).mapToObj(i -> "/page/" + i).toList();
    VerificationReport report = new VerificationReport("deploy.yml",
        new VerificationReport.RunPart(Optional.of(run("completed", "failure")), IntStream.rangeClosed(1, 30)
            .mapToObj(VerificationReportTest::failedJob).toList(), Optional.empty()),
        List.of(new VerificationReport.TargetPart(frontend(paths), paths.stream().map(VerificationReportTest::failed).toList(), 0)));

    String text = report.render(List.of("🩺 Diagnosis started: https://github.com/octo-org/deploy-service/actions/runs/9000000077"));

    assertTrue(text.length() <= 2_000, text.length() + " chars");
    assertTrue(text.startsWith("❌ **Deploy verification failed** · run [#42]"), text);
    assertTrue(text.endsWith("\n🩺 Diagnosis started: https://github.com/octo-org/deploy-service/actions/runs/9000000077"), text);
    assertTrue(text.contains("more lines not shown"), text);
    assertEquals(VerificationReport.Verdict.FAILED, report.verdict());
  }

  @Test
  void passingChecksGiveWayToFailuresFirst() {
    List<String> paths = IntStream.rangeClosed(1, 200).mapToObj(i -> "/a-page-with-a-long-name/" + i).toList();
    List<CheckResult> checks = paths.stream().map(path -> path.endsWith("/7") ? failed(path) : passed(path)).toList();
    VerificationReport report = new VerificationReport("deploy.yml",
        new VerificationReport.RunPart(Optional.of(run("completed", "success")), List.of(), Optional.empty()),
        List.of(new VerificationReport.TargetPart(frontend(paths), checks, 0)));

    String text = report.render(List.of());

    assertTrue(text.length() <= 2_000, text.length() + " chars");
    assertTrue(text.contains("❌ `/a-page-with-a-long-name/7`"), text);
    assertTrue(text.contains("✅ 199 more passing checks not shown"), text);
    assertFalse(text.contains("more lines not shown"), text);
  }

  @Test
  void aRunNotFinishedIsPendingWhateverTheChecksSay() {
    VerificationReport report = new VerificationReport("deploy.yml",
        new VerificationReport.RunPart(Optional.of(run("queued", null)), List.of(), Optional.empty()),
        List.of(new VerificationReport.TargetPart(frontend(List.of("/")), List.of(failed("/")), 0)));

    assertEquals(VerificationReport.Verdict.PENDING, report.verdict());
    assertTrue(report.render(List.of()).startsWith("⏳ **Deploy not finished** · run [#42](<https://github.com/octo-org/deploy-service/"
        + "actions/runs/9000000042>) is queued: verify again when it ends · now 1 of 1 check failed"));
  }

  @Test
  void aTargetSetToSomethingThatIsNotAUrlFails() {
    DeployTargets.Target invalid = new DeployTargets.Target("API", DeployTargets.State.INVALID, Optional.empty(),
        "repository variable `VITE_API_BASE` is not a full http(s) URL; write it like https://app.example.com", List.of("/health"));
    VerificationReport report = new VerificationReport("deploy.yml",
        new VerificationReport.RunPart(Optional.of(run("completed", "success")), List.of(), Optional.empty()),
        List.of(new VerificationReport.TargetPart(invalid, List.of(), 0)));

    String text = report.render(List.of());

    assertEquals(VerificationReport.Verdict.FAILED, report.verdict());
    assertTrue(text.contains("\n**API** ❌ repository variable `VITE_API_BASE` is not a full http(s) URL"), text);
    assertEquals(List.of("❌ API: repository variable `VITE_API_BASE` is not a full http(s) URL; write it like https://app.example.com"),
        report.failingLines());
  }
}
