package dev.valine.orchestrator.github;

import java.util.regex.Pattern;

/**
 * Finds a dispatch's correlation id in a run's {@code name} or {@code display_title}, where a workflow puts it
 * with {@code run-name: Deploy ${{ inputs.correlation_id }}}. The id must stand as a whole token: {@code c-42}
 * is not found in {@code Deploy c-42b} or {@code Deploy c-42.1}, so that one dispatch never claims another's run.
 */
final class CorrelationIds {
  // Characters an id may be made of; the id's neighbours in the text must be none of them.
  private static final String ID_CHAR = "[A-Za-z0-9_.\\-]";
  private static final Pattern ID = Pattern.compile(ID_CHAR + "+");

  private CorrelationIds() {}

  /** @throws IllegalArgumentException unless the id is one token of letters, digits, {@code _ . -} */
  static String requireValid(String correlationId) {
    if (correlationId == null || !ID.matcher(correlationId).matches()) {
      throw new IllegalArgumentException("a correlation id is letters, digits, '_', '.' or '-', got: " + correlationId);
    }
    return correlationId;
  }

  static boolean namedIn(WorkflowRun run, String correlationId) {
    Pattern token = Pattern.compile("(?<!" + ID_CHAR + ")" + Pattern.quote(correlationId) + "(?!" + ID_CHAR + ")");
    return token.matcher(run.workflowName()).find() || token.matcher(run.title()).find();
  }
}
