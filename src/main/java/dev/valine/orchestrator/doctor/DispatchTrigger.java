package dev.valine.orchestrator.doctor;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code workflow_dispatch} trigger of a workflow file and the inputs it declares
 * (docs: https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onworkflow_dispatchinputs).
 * GitHub refuses a dispatch that sends an undeclared input, or omits a required one without a default (HTTP 422).
 *
 * @param inputs by name, in the file's order
 * @param runName the workflow's {@code run-name}, empty when it has none
 */
record DispatchTrigger(Map<String, Input> inputs, Optional<String> runName) {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** One declared input: whether a dispatch must send it, i.e. it is required and has no default. */
  record Input(boolean mustBeSent) {}

  DispatchTrigger {
    inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  /**
   * Reads a workflow file.
   *
   * @return empty when the workflow cannot be dispatched (no {@code workflow_dispatch} under {@code on})
   * @throws IllegalArgumentException when the file is not YAML, saying where, without quoting it
   */
  static Optional<DispatchTrigger> of(String workflowYaml) {
    JsonNode root;
    try {
      root = YAML.readTree(workflowYaml);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new IllegalArgumentException("the file is not valid YAML" + where);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the file is not a YAML mapping of workflow keys");
    }
    // YAML 1.1 reads a bare `on` as the boolean true, so some tools write the key back as `true:`; take either.
    JsonNode on = root.has("on") ? root.get("on") : root.path("true");
    Optional<String> runName = Optional.ofNullable(root.path("run-name").textValue());
    if (on.isTextual()) {
      return on.textValue().equals("workflow_dispatch") ? Optional.of(new DispatchTrigger(Map.of(), runName)) : Optional.empty();
    }
    if (on.isArray()) {
      for (JsonNode event : on) {
        if ("workflow_dispatch".equals(event.textValue())) {
          return Optional.of(new DispatchTrigger(Map.of(), runName));
        }
      }
      return Optional.empty();
    }
    if (!on.isObject() || !on.has("workflow_dispatch")) {
      return Optional.empty();
    }
    Map<String, Input> inputs = new LinkedHashMap<>();
    on.get("workflow_dispatch").path("inputs").fields().forEachRemaining(entry -> {
      JsonNode input = entry.getValue();
      boolean required = input.path("required").asBoolean(false);
      boolean hasDefault = input.has("default") && !input.get("default").isNull();
      inputs.put(entry.getKey(), new Input(required && !hasDefault));
    });
    return Optional.of(new DispatchTrigger(inputs, runName));
  }

  boolean declares(String input) {
    return inputs.containsKey(input);
  }
}
