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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
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

    TableDescription created = dynalite.client().describeTable(describe -> describe.tableName(table)).table();

    assertEquals(pairs(declared.path("AttributeDefinitions"), "AttributeName", "AttributeType"),
        pairs(created.attributeDefinitions(), AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
    assertEquals(pairs(declared.path("KeySchema"), "AttributeName", "KeyType"),
        pairs(created.keySchema(), KeySchemaElement::attributeName, KeySchemaElement::keyTypeAsString));
    JsonNode declaredIndex = declared.path("GlobalSecondaryIndexes").get(0);
    GlobalSecondaryIndexDescription createdIndex = created.globalSecondaryIndexes().get(0);
    assertEquals(StateTable.TRACE_ID_INDEX, declaredIndex.path("IndexName").asText());
    assertEquals(StateTable.TRACE_ID_INDEX, createdIndex.indexName());
    assertEquals(pairs(declaredIndex.path("KeySchema"), "AttributeName", "KeyType"),
        pairs(createdIndex.keySchema(), KeySchemaElement::attributeName, KeySchemaElement::keyTypeAsString));
    assertEquals(declaredIndex.path("Projection").path("ProjectionType").asText(), createdIndex.projection().projectionTypeAsString());

    assertEquals(StateTable.EXPIRES_AT, declared.path("TimeToLiveSpecification").path("AttributeName").asText());
    assertEquals("PAY_PER_REQUEST", declared.path("BillingMode").asText());
    assertEquals("PAY_PER_REQUEST", created.billingModeSummary().billingModeAsString());
  }

  private static Map<String, String> pairs(JsonNode list, String key, String value) {
    Map<String, String> pairs = new TreeMap<>();
    list.forEach(element -> pairs.put(element.path(key).asText(), element.path(value).asText()));
    return pairs;
  }

  private static <T> Map<String, String> pairs(List<T> list, Function<T, String> key, Function<T, String> value) {
    Map<String, String> pairs = new TreeMap<>();
    list.forEach(element -> pairs.put(key.apply(element), value.apply(element)));
    return pairs;
  }
}
