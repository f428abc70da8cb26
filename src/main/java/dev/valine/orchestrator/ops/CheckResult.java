package dev.valine.orchestrator.ops;

import java.util.Optional;

/**
 * How one fetch of a deployed path went, for one line of the report.
 *
 * @param target "Frontend" or "API"
 * @param path the path as configured ({@code VERIFY_*_PATHS})
 * @param status the final HTTP status, after redirects; empty when no response came
 * @param millis how long the answering attempt took
 * @param redirects how many redirects were followed
 * @param attempts 1, or 2 when the first failed and was retried
 * @param finalUrl where the redirects ended, without its query; empty when there were none
 * @param problem why it failed, written for the user (a refusal by the URL rules, a timeout, an error status)
 * @param retriedBecause what went wrong the first time, when it was retried
 * @param staleRisk set when an HTML entry page may be cached past a deploy
 */
record CheckResult(
    String target,
    String path,
    Optional<Integer> status,
    long millis,
    int redirects,
    int attempts,
    Optional<String> finalUrl,
    Optional<String> problem,
    Optional<String> retriedBecause,
    Optional<String> staleRisk) {

  boolean passed() {
    return problem.isEmpty();
  }
}
