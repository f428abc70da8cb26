package dev.valine.orchestrator.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.github.Artifact;
import dev.valine.orchestrator.github.ArtifactZip;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.observability.TraceStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The result a diagnose run leaves: {@code summary.json} inside its {@code diagnose-summary} artifact,
 * {@code {"checks":[{"name","ok","detail"}]}}, shown one line per check. The artifact is written by the workflow,
 * so it is read within bounds (archive size, entry size, time) and its text is made inert before it is shown.
 * A run that left no such artifact is said to have left none: that is the workflow's business, not a failure here.
 */
final class DiagnoseSummary {
  static final String ARTIFACT = "diagnose-summary";
  static final String ENTRY = "summary.json";
  /** A summary of checks is a few kilobytes; anything near this is not one. */
  static final long MAX_ARCHIVE_BYTES = 1024 * 1024;
  static final int MAX_ENTRY_BYTES = 256 * 1024;
  static final Duration READ_LIMIT = Duration.ofSeconds(30);
  private static final int MAX_NAME = 80;
  private static final int MAX_DETAIL = 200;

  /** One check; {@code ok} empty when the summary did not say. */
  record Check(String name, Optional<Boolean> ok, String detail) {}

  /** A {@code summary.json} that is not what {@code /diagnose} expects; the message says what is wrong. */
  static final class UnreadableSummaryException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableSummaryException(String message) {
      super(message);
    }
  }

  private final Clock clock;

  DiagnoseSummary(Clock clock) {
    this.clock = clock;
  }

  /**
   * The run's summary as answer text of at most {@code maxChars}: the checks, or why there are none to show.
   * Never throws for what GitHub or the artifact did.
   */
  String read(CommandContext context, GitHubClient github, long runId, int maxChars) throws InterruptedException {
    Instant started = clock.instant();
    try {
      List<Artifact> artifacts = Await.call(context, READ_LIMIT, deadline -> github.artifacts(runId, deadline));
      Optional<Artifact> found = artifacts.stream().filter(a -> a.name().equals(ARTIFACT))
          .min(Comparator.comparing(Artifact::expired));
      if (found.isEmpty()) {
        step(context, started, TraceStatus.OK, "none: " + artifacts.size() + " other artifacts");
        return "ℹ️ The run left no `" + ARTIFACT + "` artifact, so there are no checks to show; see the run's page.";
      }
      Artifact artifact = found.get();
      if (artifact.expired()) {
        step(context, started, TraceStatus.OK, "expired");
        return "ℹ️ The run's `" + ARTIFACT + "` artifact has expired; see the run's page.";
      }
      if (artifact.sizeInBytes() > MAX_ARCHIVE_BYTES) {
        step(context, started, TraceStatus.ERROR, "too large: " + artifact.sizeInBytes() + " bytes");
        return "⚠️ The run's `" + ARTIFACT + "` artifact is " + kib(artifact.sizeInBytes()) + ", more than the "
            + kib(MAX_ARCHIVE_BYTES) + " a summary may be; I did not read it. See the run's page.";
      }
      ArtifactZip zip = Await.call(context, READ_LIMIT, deadline -> github.downloadArtifact(artifact.id(), MAX_ARCHIVE_BYTES, deadline));
      Optional<String> json = zip.text(ENTRY, MAX_ENTRY_BYTES);
      if (json.isEmpty()) {
        step(context, started, TraceStatus.OK, "no " + ENTRY);
        return "ℹ️ The run's `" + ARTIFACT + "` artifact holds no `" + ENTRY + "`, so there are no checks to show.";
      }
      List<Check> checks = parse(json.get());
      step(context, started, TraceStatus.OK, checks.size() + " checks, " + checks.stream().filter(c -> c.ok().orElse(true)).count()
          + " not failed");
      return render(checks, maxChars);
    } catch (GitHubException e) {
      step(context, started, TraceStatus.ERROR, e.summary());
      return "⚠️ I could not read the run's `" + ARTIFACT + "`: " + e.getMessage();
    } catch (UnreadableSummaryException e) {
      step(context, started, TraceStatus.ERROR, "unreadable: " + e.getMessage());
      return "⚠️ The run's `" + ENTRY + "` is not what /diagnose expects (" + e.getMessage()
          + "); it should be `{\"checks\":[{\"name\":…,\"ok\":true,\"detail\":…}]}`.";
    }
  }

  /** Reads {@code {"checks":[…]}}, tolerating missing or odd fields in a check, refusing anything else. */
  static List<Check> parse(String json) throws UnreadableSummaryException {
    JsonNode root;
    try {
      root = Jackson.parse(json);
    } catch (IOException e) {
      throw new UnreadableSummaryException("it is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new UnreadableSummaryException("it is not a JSON object");
    }
    JsonNode array = root.path("checks");
    if (!array.isArray()) {
      throw new UnreadableSummaryException("it has no `checks` list");
    }
    List<Check> checks = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isObject()) {
        checks.add(new Check("(not a check)", Optional.empty(), ""));
        continue;
      }
      JsonNode name = item.path("name");
      checks.add(new Check(name.isValueNode() && !name.isNull() ? name.asText() : "(unnamed check)", ok(item.path("ok")),
          item.path("detail").isValueNode() && !item.path("detail").isNull() ? item.path("detail").asText() : ""));
    }
    return checks;
  }

  private static Optional<Boolean> ok(JsonNode ok) {
    if (ok.isBoolean()) {
      return Optional.of(ok.booleanValue());
    }
    String text = ok.isTextual() ? ok.textValue().trim().toLowerCase(Locale.ROOT) : "";
    if (text.equals("true")) {
      return Optional.of(true);
    }
    if (text.equals("false")) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /**
   * One line per check, in the summary's order, within {@code maxChars}: checks that do not fit are counted in a
   * last "… and N more" line.
   */
  static String render(List<Check> checks, int maxChars) {
    if (checks.isEmpty()) {
      return "ℹ️ The summary lists no checks.";
    }
    long failed = checks.stream().filter(c -> c.ok().filter(ok -> !ok).isPresent()).count();
    long passed = checks.stream().filter(c -> c.ok().orElse(false)).count();
    StringBuilder text = new StringBuilder(failed == 0 && passed == checks.size() ? "✅" : failed > 0 ? "❌" : "❔")
        .append(" Checks: ").append(passed).append(" of ").append(checks.size()).append(" passed");
    for (int i = 0; i < checks.size(); i++) {
      Check check = checks.get(i);
      String line = "\n" + check.ok().map(ok -> ok ? "✅" : "❌").orElse("❔") + " " + RunText.inert(check.name(), MAX_NAME)
          + (check.detail().isBlank() ? "" : " — " + RunText.inert(check.detail(), MAX_DETAIL));
      int left = checks.size() - i - 1;
      int reserve = left == 0 ? 0 : more(checks.size()).length();
      if (text.length() + line.length() + reserve > maxChars) {
        text.append(more(checks.size() - i));
        break;
      }
      text.append(line);
    }
    return text.toString();
  }

  private static String more(int count) {
    return "\n… and " + count + " more";
  }

  private void step(CommandContext context, Instant started, TraceStatus status, String detail) {
    context.trace().addStep("diagnose-summary", status, started, Duration.between(started, clock.instant()), detail);
  }

  private static String kib(long bytes) {
    return bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024)) : Math.max(1, bytes / 1024) + " KiB";
  }
}
