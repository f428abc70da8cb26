package dev.valine.orchestrator.github;

import java.util.Locale;

/**
 * One workflow of a repository as its workflow list names it.
 *
 * @param name the display name ({@code name:} in the file, else its path)
 * @param path the file, such as {@code .github/workflows/deploy.yml}
 * @param state {@code active}, or why it is not: {@code disabled_manually}, {@code disabled_inactivity}, …
 */
public record Workflow(long id, String name, String path, String state) {

  /**
   * Whether this is the workflow a setting means, by the same rules as the client's lookups: its id, its file name,
   * or its display name ignoring case.
   */
  public boolean isNamed(String workflow) {
    if (workflow.equals(Long.toString(id)) || workflow.equals(path)) {
      return true;
    }
    if (WorkflowDirectory.isFileNameOrId(workflow)) {
      return path.endsWith("/" + workflow);
    }
    return name.toLowerCase(Locale.ROOT).equals(workflow.toLowerCase(Locale.ROOT));
  }

  public boolean active() {
    return "active".equals(state);
  }
}
