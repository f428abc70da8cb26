package dev.valine.orchestrator.doctor;

import dev.valine.orchestrator.config.OpsSettings;
import java.util.List;
import java.util.Optional;

/** The deploy targets the environment names ({@code FRONTEND_BASE_URL}, {@code API_BASE_URL}), by the URL rules. */
final class TargetChecks implements Section {
  static final String FRONTEND = "Deploy target FRONTEND_BASE_URL";
  static final String API = "Deploy target API_BASE_URL";

  private final OpsSettings ops;
  private final TargetCheck target;

  TargetChecks(OpsSettings ops, TargetCheck target) {
    this.ops = ops;
    this.target = target;
  }

  @Override
  public String title() {
    return "Deploy targets";
  }

  @Override
  public List<Check> run() {
    return List.of(check(FRONTEND, "FRONTEND_BASE_URL", ops.frontendBaseUrl(), "FRONTEND_BASE_URL"),
        check(API, "API_BASE_URL", ops.apiBaseUrl(), "VITE_API_BASE"));
  }

  private Check check(String name, String variable, Optional<String> url, String repositoryVariable) {
    return url.map(value -> target.check(name, variable, value))
        .orElseGet(() -> Check.skip(name, variable + " not set (verification uses the repository variable " + repositoryVariable + ")"));
  }
}
