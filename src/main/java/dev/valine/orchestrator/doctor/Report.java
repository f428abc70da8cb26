package dev.valine.orchestrator.doctor;

import java.util.List;

/** Every check doctor ran, in the order they are printed. Passes unless one failed: warnings and skips do not fail it. */
public record Report(List<Check> checks) {
  public Report {
    checks = List.copyOf(checks);
  }

  public boolean passed() {
    return checks.stream().noneMatch(check -> check.status() == Check.Status.FAIL);
  }

  public long count(Check.Status status) {
    return checks.stream().filter(check -> check.status() == status).count();
  }
}
