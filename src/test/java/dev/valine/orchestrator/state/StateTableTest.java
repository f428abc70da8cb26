package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The table `serve` creates is the table the SAM template declares. */
class StateTableTest {
  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  @Test
  void createsAMissingTableOnceAndLeavesAnExistingOneAlone() throws Exception {
    String table = Dynalite.uniqueTable("state");

    assertTrue(StateTable.ensureExists(dynalite.client(), table, Duration.ofSeconds(30)));
    assertFalse(StateTable.ensureExists(dynalite.client(), table, Duration.ofSeconds(30)));
  }

  @Test
  void createsTheTableTheTemplateDeclares() throws Exception {
    String table = Dynalite.uniqueTable("state");
    StateTable.ensureExists(dynalite.client(), table, Duration.ofSeconds(30));
    JsonNode declared = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("template.yaml")))
        .path("Resources").path("StateTable").path("Properties");

    TableDescription created = dynalite.client().describeTable(d -> d.tableName(table)).table();

    Map<String, String> declaredAttributes = new TreeMap<>();
    declared.path("AttributeDefinitions").forEach(a -> declaredAttributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
    Map<String, String> createdAttributes = new TreeMap<>();
    created.attributeDefinitions().forEach(a -> createdAttributes.put(a.attributeName(), a.attributeTypeAsString()));
    assertEquals(declaredAttributes, createdAttributes);

    Map<String, String> declaredKeys = new TreeMap<>();
    declared.path("KeySchema").forEach(k -> declaredKeys.put(k.path("AttributeName").asText(), k.path("KeyType").asText()));
    Map<String, String> createdKeys = new TreeMap<>();
    created.keySchema().forEach(k -> createdKeys.put(k.attributeName(), k.keyTypeAsString()));
    assertEquals(declaredKeys, createdKeys);

    JsonNode declaredIndex = declared.path("GlobalSecondaryIndexes").get(0);
    var createdIndex = created.globalSecondaryIndexes().get(0);
    assertEquals(declaredIndex.path("IndexName").asText(), createdIndex.indexName());
    assertEquals(StateTable.TRACE_ID_INDEX, createdIndex.indexName());
    assertEquals(declaredIndex.path("KeySchema").get(0).path("AttributeName").asText(), createdIndex.keySchema().get(0).attributeName());
    assertEquals(declaredIndex.path("Projection").path("ProjectionType").asText(), createdIndex.projection().projectionTypeAsString());

    assertEquals(StateTable.EXPIRES_AT, declared.path("TimeToLiveSpecification").path("AttributeName").asText());
    assertEquals("PAY_PER_REQUEST", declared.path("BillingMode").asText());
    assertEquals("PAY_PER_REQUEST", created.billingModeSummary().billingModeAsString());
  }
}
