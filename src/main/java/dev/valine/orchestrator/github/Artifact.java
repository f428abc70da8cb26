package dev.valine.orchestrator.github;

/**
 * An artifact a workflow run uploaded (docs: https://docs.github.com/en/rest/actions/artifacts). An expired
 * artifact is still listed but can no longer be downloaded.
 */
public record Artifact(long id, String name, long sizeInBytes, boolean expired) {}
