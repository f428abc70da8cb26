package dev.valine.orchestrator.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {
  @Test
  void printsOneLinePerCheckWithTheFixBelowAndASummary() {
    Report report = new Report(List.of(Check.pass("A", "fine"), Check.fail("B", "broken", "mend it"), Check.skip("C", "X not set")));

    assertEquals("✅ A: fine\n❌ B: broken\n   fix: mend it\n⏭️ C: skipped: X not set\n\n"
        + "doctor: 1 failed, 1 passed, 1 skipped. fix the ❌ lines above, then run doctor again.\n", TextReport.render(report));
  }

  @Test
  void warningsDoNotFailButAreMentioned() {
    Report report = new Report(List.of(Check.pass("A", "fine"), Check.warn("B", "half", "finish it")));

    assertEquals("doctor: 1 passed, 1 warning. no check failed; mind the ⚠️ lines.", TextReport.summary(report));
  }

  @Test
  void onlySkipsIsNotCalledWiredRight() {
    Report report = new Report(List.of(Check.skip("A", "X not set")));

    assertEquals("doctor: 1 skipped. nothing was checked: run doctor with the stage's environment (README, \"Configuration\").",
        TextReport.summary(report));
  }
}
