package dev.valine.orchestrator.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.Locale;

/**
 * The report for scripts ({@code doctor --json}):
 * {@code {"ok": bool, "counts": {"pass","warn","fail","skip"}, "checks": [{"name","status","detail","fix"}]}},
 * with {@code status} in lower case and {@code fix} null where there is none.
 */
public final class JsonReport {
  private JsonReport() {}

  public static String render(Report report) {
    ObjectNode root = Jackson.object().put("ok", report.passed());
    ObjectNode counts = root.putObject("counts");
    for (Check.Status status : Check.Status.values()) {
      counts.put(key(status), report.count(status));
    }
    ArrayNode checks = root.putArray("checks");
    for (Check check : report.checks()) {
      ObjectNode line = checks.addObject().put("name", check.name()).put("status", key(check.status())).put("detail", check.detail());
      check.fix().ifPresentOrElse(fix -> line.put("fix", fix), () -> line.putNull("fix"));
    }
    return Jackson.pretty(root);
  }

  private static String key(Check.Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
