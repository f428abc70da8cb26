package dev.valine.orchestrator.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispatchTriggerTest {
  @Test
  void readsTheDeclaredInputsAndWhichMustBeSent() {
    DispatchTrigger trigger = DispatchTrigger.of(String.join("\n",
        "run-name: Deploy ${{ inputs.correlation_id }}",
        "on:",
        "  push:",
        "  workflow_dispatch:",
        "    inputs:",
        "      correlation_id:",
        "        type: string",
        "      environment:",
        "        required: true",
        "      region:",
        "        required: true",
        "        default: eu-west-1")).orElseThrow();

    assertEquals(List.of("correlation_id", "environment", "region"), List.copyOf(trigger.inputs().keySet()));
    assertFalse(trigger.inputs().get("correlation_id").mustBeSent());
    assertTrue(trigger.inputs().get("environment").mustBeSent());
    assertFalse(trigger.inputs().get("region").mustBeSent(), "a default fills a required input");
    assertEquals(Optional.of("Deploy ${{ inputs.correlation_id }}"), trigger.runName());
  }

  @Test
  void takesTheTriggerAsAStringOrAList() {
    assertTrue(DispatchTrigger.of("on: workflow_dispatch\n").isPresent());
    assertTrue(DispatchTrigger.of("on: [push, workflow_dispatch]\n").isPresent());
    assertTrue(DispatchTrigger.of("on:\n  workflow_dispatch:\n").orElseThrow().inputs().isEmpty());
  }

  @Test
  void takesTheOnKeyWrittenBackAsYamlOneOneTrue() {
    assertTrue(DispatchTrigger.of("true:\n  workflow_dispatch:\n    inputs:\n      requester: {}\n").orElseThrow().declares("requester"));
  }

  @Test
  void aWorkflowWithoutTheTriggerCannotBeDispatched() {
    assertEquals(Optional.empty(), DispatchTrigger.of("on: push\n"));
    assertEquals(Optional.empty(), DispatchTrigger.of("on: [push, pull_request]\n"));
    assertEquals(Optional.empty(), DispatchTrigger.of("on:\n  schedule:\n    - cron: '0 3 * * *'\n"));
    assertEquals(Optional.empty(), DispatchTrigger.of("name: no trigger at all\n"));
  }

  @Test
  void aFileThatIsNotYamlSaysWhereWithoutQuotingIt() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> DispatchTrigger.of("on:\n  workflow_dispatch:\n    inputs: [unclosed\n"));

    assertTrue(error.getMessage().startsWith("the file is not valid YAML at line"), error.getMessage());
    assertFalse(error.getMessage().contains("unclosed"));
  }
}
