package dev.valine.orchestrator.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.json.Jackson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiGatewayEventsTest {

  @Test
  void decodesHttpApiEvent() throws Exception {
    JsonNode event = Jackson.parse("{\"version\":\"2.0\",\"rawPath\":\"/interactions\",\"headers\":{\"x-signature-ed25519\":\"ab\","
        + "\"x-signature-timestamp\":\"1\"},\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/interactions\"},"
        + "\"timeEpoch\":1767225600123},\"body\":\"{\\\"type\\\":1}\",\"isBase64Encoded\":false}");

    HttpRequest request = ApiGatewayEvents.decode(event);

    assertEquals("POST", request.method());
    assertEquals("/interactions", request.path());
    assertEquals("ab", request.header("X-Signature-Ed25519"));
    assertArrayEquals("{\"type\":1}".getBytes(StandardCharsets.UTF_8), request.body());
    assertEquals(Optional.of(Instant.ofEpochMilli(1767225600123L)), request.arrival());
  }

  @Test
  void decodesBase64BodyToTheOriginalBytes() throws Exception {
    JsonNode event = Jackson.parse("{\"version\":\"2.0\",\"rawPath\":\"/i\",\"requestContext\":{\"http\":{\"method\":\"POST\"}},"
        + "\"body\":\"eyJ0eXBlIjoxfQ==\",\"isBase64Encoded\":true}");

    assertArrayEquals("{\"type\":1}".getBytes(StandardCharsets.UTF_8), ApiGatewayEvents.decode(event).body());
  }

  @Test
  void decodesRestApiEventWithMixedCaseAndMultiValueHeaders() throws Exception {
    JsonNode event = Jackson.parse("{\"httpMethod\":\"POST\",\"path\":\"/interactions\",\"headers\":null,"
        + "\"multiValueHeaders\":{\"X-Signature-Ed25519\":[\"cd\"],\"X-SIGNATURE-TIMESTAMP\":[\"2\",\"3\"]},"
        + "\"requestContext\":{\"requestTimeEpoch\":5},\"body\":\"{}\"}");

    HttpRequest request = ApiGatewayEvents.decode(event);

    assertEquals("cd", request.header("x-signature-ed25519"));
    assertEquals("2", request.header("x-signature-timestamp"));
    assertEquals("POST", request.method());
  }

  @Test
  void treatsMissingBodyAsEmpty() throws Exception {
    JsonNode event = Jackson.parse("{\"httpMethod\":\"POST\",\"path\":\"/\",\"requestContext\":{}}");

    assertEquals(0, ApiGatewayEvents.decode(event).body().length);
  }

  @Test
  void rejectsCorruptBase64() throws Exception {
    JsonNode event = Jackson.parse("{\"version\":\"2.0\",\"requestContext\":{\"http\":{\"method\":\"POST\"}},"
        + "\"body\":\"***\",\"isBase64Encoded\":true}");

    assertEquals("isBase64Encoded is true but the body is not valid base64",
        assertThrows(BadEventException.class, () -> ApiGatewayEvents.decode(event)).getMessage());
  }

  @Test
  void rejectsEventsThatAreNotHttp() throws Exception {
    assertThrows(BadEventException.class, () -> ApiGatewayEvents.decode(Jackson.parse("{\"Records\":[]}")));
    assertThrows(BadEventException.class, () -> ApiGatewayEvents.parse("not json".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void encodesResponseWithExplicitStatusAndJsonContentType() throws Exception {
    JsonNode encoded = Jackson.parse(ApiGatewayEvents.encode(HttpResponse.error(401, "invalid request signature")));

    assertEquals(Jackson.parse("{\"statusCode\":401,\"headers\":{\"content-type\":\"application/json\"},"
        + "\"body\":\"{\\\"error\\\":\\\"invalid request signature\\\"}\",\"isBase64Encoded\":false}"), encoded);
  }
}
