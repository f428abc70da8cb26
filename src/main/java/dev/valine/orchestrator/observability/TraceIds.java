package dev.valine.orchestrator.observability;

import java.util.Optional;
import java.util.UUID;

/**
 * Where a command's {@code trace_id} comes from: the X-Ray root id when Lambda runs us under X-Ray (so
 * logs, the execution trace and the X-Ray console share one id), else a random UUID.
 */
public final class TraceIds {
  private TraceIds() {}

  /**
   * The {@code Root} of an X-Ray trace header such as
   * {@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}.
   */
  public static Optional<String> xrayRoot(String header) {
    if (header == null) {
      return Optional.empty();
    }
    for (String part : header.split(";")) {
      String trimmed = part.trim();
      if (trimmed.startsWith("Root=") && trimmed.length() > "Root=".length()) {
        return Optional.of(trimmed.substring("Root=".length()));
      }
    }
    return Optional.empty();
  }

  /** The trace id for a command: the X-Ray root if there is one, else a fresh UUID. */
  public static String forCommand(Optional<String> xrayTraceHeader) {
    return xrayTraceHeader.flatMap(TraceIds::xrayRoot).orElseGet(() -> UUID.randomUUID().toString());
  }
}
