package dev.valine.orchestrator.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes Lambda HTTP events into {@link HttpRequest}s and encodes {@link HttpResponse}s back
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * payload 2.0 from HTTP APIs and Function URLs, and REST API (1.0) proxy events. Read as a JSON tree so
 * both shapes share one decoder.
 */
public final class ApiGatewayEvents {
  private ApiGatewayEvents() {}

  /** Whether the event looks like an HTTP event at all (the handler will later see other event kinds). */
  public static boolean isHttpEvent(JsonNode event) {
    return event.path("requestContext").isObject() && (event.has("httpMethod") || event.path("requestContext").path("http").isObject());
  }

  /**
   * @throws BadEventException if the event is not an HTTP event or its base64 body is corrupt
   */
  public static HttpRequest decode(JsonNode event) throws BadEventException {
    if (!isHttpEvent(event)) {
      throw new BadEventException("not an API Gateway or Function URL HTTP event");
    }
    JsonNode context = event.path("requestContext");
    boolean v2 = context.path("http").isObject();
    String method = v2 ? context.path("http").path("method").asText("") : event.path("httpMethod").asText("");
    String path = v2 ? event.path("rawPath").asText(context.path("http").path("path").asText("/"))
        : event.path("path").asText("/");
    // Epoch milliseconds at which the gateway received the request: 2.0 timeEpoch, 1.0 requestTimeEpoch.
    JsonNode epoch = v2 ? context.path("timeEpoch") : context.path("requestTimeEpoch");
    Optional<Instant> arrival = epoch.canConvertToLong() && epoch.asLong() > 0
        ? Optional.of(Instant.ofEpochMilli(epoch.asLong())) : Optional.empty();
    return new HttpRequest(method, path, headers(event), body(event), arrival);
  }

  private static Map<String, String> headers(JsonNode event) {
    Map<String, String> headers = new HashMap<>();
    // 1.0 events may carry only multiValueHeaders; take the first value of each.
    JsonNode multi = event.path("multiValueHeaders");
    for (Map.Entry<String, JsonNode> header : multi.properties()) {
      if (header.getValue().isArray() && header.getValue().size() > 0) {
        headers.put(header.getKey(), header.getValue().get(0).asText());
      }
    }
    for (Map.Entry<String, JsonNode> header : event.path("headers").properties()) {
      if (header.getValue().isTextual()) {
        headers.put(header.getKey(), header.getValue().asText());
      }
    }
    return headers;
  }

  private static byte[] body(JsonNode event) throws BadEventException {
    JsonNode body = event.path("body");
    if (!body.isTextual()) {
      return new byte[0];
    }
    if (event.path("isBase64Encoded").asBoolean(false)) {
      // The signature covers the original bytes, not the base64 text the gateway hands us.
      try {
        return Base64.getDecoder().decode(body.asText());
      } catch (IllegalArgumentException e) {
        throw new BadEventException("isBase64Encoded is true but the body is not valid base64");
      }
    }
    return body.asText().getBytes(StandardCharsets.UTF_8);
  }

  /** The response object both gateway versions accept; statusCode always explicit. */
  public static byte[] encode(HttpResponse response) {
    ObjectNode json = Jackson.object().put("statusCode", response.status());
    json.putObject("headers").put("content-type", response.contentType());
    json.put("body", response.bodyText());
    json.put("isBase64Encoded", false);
    return Jackson.bytes(json);
  }

  /** Parses raw event bytes, for the handler. */
  public static JsonNode parse(byte[] event) throws BadEventException {
    try {
      return Jackson.parse(event);
    } catch (IOException e) {
      throw new BadEventException("the Lambda event is not JSON");
    }
  }

  /**
   * A signed {@code POST /interactions} as an HTTP API (payload 2.0) event, the shape Lambda receives:
   * lower-case headers, the arrival time in {@code requestContext.timeEpoch}. For SnapStart priming and
   * tests, which feed the real handler what API Gateway would.
   */
  public static ObjectNode httpApiEvent(String signature, String timestamp, byte[] body, boolean base64, long arrivalMillis) {
    ObjectNode event = Jackson.object().put("version", "2.0").put("routeKey", "$default").put("rawPath", "/interactions")
        .put("rawQueryString", "");
    event.putObject("headers").put("content-type", "application/json")
        .put("x-signature-ed25519", signature).put("x-signature-timestamp", timestamp);
    ObjectNode context = event.putObject("requestContext").put("requestId", "req-1").put("timeEpoch", arrivalMillis);
    context.putObject("http").put("method", "POST").put("path", "/interactions").put("sourceIp", "127.0.0.1");
    event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
    event.put("isBase64Encoded", base64);
    return event;
  }
}
