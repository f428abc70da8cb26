package dev.valine.orchestrator.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.valine.orchestrator.doctor.Check.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** How doctor runs its sections: in order on the page, a hung one reported as failed, secrets masked. */
class DoctorTest {
  private static Section section(String title, Check.Status status, String detail) {
    return new Section() {
      @Override
      public String title() {
        return title;
      }

      @Override
      public List<Check> run() {
        return List.of(new Check(title + " check", status, detail, java.util.Optional.empty()));
      }
    };
  }

  @Test
  void keepsTheSectionsOrderAndMasksAnyTokenThatReachedAText() throws Exception {
    String token = "fake-" + "leaky-token";
    Doctor doctor = new Doctor(List.of(section("First", Status.PASS, "said " + token), section("Second", Status.SKIP, "X not set")),
        List.of(token), Duration.ofSeconds(30));

    Report report = doctor.run();

    assertEquals(List.of("First check", "Second check"), report.checks().stream().map(Check::name).toList());
    assertEquals("said ***REDACTED***", report.checks().get(0).detail());
  }

  @Test
  void aSectionThatDoesNotFinishInTimeIsAFailedLine() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Section hung = new Section() {
      @Override
      public String title() {
        return "GitHub";
      }

      @Override
      public List<Check> run() throws InterruptedException {
        never.await();
        return List.of();
      }
    };

    Report report = new Doctor(List.of(hung, section("Discord", Status.PASS, "fine")), List.of(), Duration.ofMillis(200)).run();

    assertEquals(Status.FAIL, report.checks().get(0).status());
    assertEquals("GitHub", report.checks().get(0).name());
    assertFalse(report.passed());
  }

  @Test
  void aSectionThatThrowsIsAFailedLineNamingItsSection() throws Exception {
    Section broken = new Section() {
      @Override
      public String title() {
        return "DynamoDB";
      }

      @Override
      public List<Check> run() {
        throw new IllegalStateException("unexpected");
      }
    };

    Check line = new Doctor(List.of(broken), List.of(), Duration.ofSeconds(30)).run().checks().get(0);

    assertEquals("DynamoDB", line.name());
    assertEquals("its checks stopped with IllegalStateException", line.detail());
  }
}
