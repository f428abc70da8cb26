package dev.valine.orchestrator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.json.Jackson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Lambda events through the real handler of an app, as the Lambda runtime delivers them. */
public final class Handlers {
  private Handlers() {}

  /** What the handler writes for one event: an HTTP API response, or a job's or digest's outcome. */
  public static JsonNode invoke(App app, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new InteractionHandler(app).handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext());
    return Jackson.parse(out.toByteArray());
  }

  /** The interaction response in the body of an HTTP answer that must be 200. */
  public static JsonNode reply(App app, byte[] event) throws IOException {
    JsonNode response = invoke(app, event);
    assertEquals(200, response.path("statusCode").asInt(), response.toString());
    return Jackson.parse(response.path("body").asText());
  }
}
