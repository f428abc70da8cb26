package dev.valine.orchestrator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TraceIdsTest {

  @Test
  void takesTheRootOfAnXRayHeader() {
    assertEquals(Optional.of("1-5759e988-bd862e3fe1be46a994272793"),
        TraceIds.xrayRoot("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"));
    assertEquals(Optional.of("1-5759e988-bd862e3fe1be46a994272793"),
        TraceIds.xrayRoot("Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793"));
  }

  @Test
  void usesTheXRayRootAsTraceIdWhenThereIsOne() {
    assertEquals("1-5759e988-bd862e3fe1be46a994272793",
        TraceIds.forCommand(Optional.of("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0")));
  }

  @Test
  void fallsBackToARandomUuid() {
    String id = TraceIds.forCommand(Optional.empty());

    assertEquals(id, UUID.fromString(id).toString());
    assertTrue(TraceIds.xrayRoot("Parent=1;Sampled=1").isEmpty());
    assertTrue(TraceIds.xrayRoot(null).isEmpty());
  }
}
