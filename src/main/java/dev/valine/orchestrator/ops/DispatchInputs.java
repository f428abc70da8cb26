package dev.valine.orchestrator.ops;

import java.util.Map;

/**
 * The ref and inputs of one dispatch, checked.
 *
 * @param inputs in the order they are named to the user (a 422 answer lists them)
 */
record DispatchInputs(String ref, Map<String, String> inputs) {
  DispatchInputs {
    inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
  }

  /** Checks a command's options and builds the inputs; called only when nothing was dispatched for this interaction yet. */
  @FunctionalInterface
  interface Check {
    DispatchInputs inputs() throws InputRefusedException;
  }
}
