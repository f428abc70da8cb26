package dev.valine.orchestrator.github;

/** What {@link GitHubClient#setVariable} did to the repository variable. */
public enum VariableWrite { UPDATED, CREATED }
