package dev.valine.orchestrator.github;

/**
 * A repository as {@code GET /repos/{owner}/{repo}} describes it.
 *
 * @param fullName {@code owner/name} as GitHub spells it now (a renamed repository answers under its new name)
 * @param isPrivate whether only members (and tokens given access) can see it
 * @param defaultBranch the branch GitHub shows first, usually {@code main}
 */
public record Repository(String fullName, boolean isPrivate, String defaultBranch) {}
