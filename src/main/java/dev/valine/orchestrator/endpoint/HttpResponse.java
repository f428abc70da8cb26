package dev.valine.orchestrator.endpoint;

import dev.valine.orchestrator.json.Jackson;
import java.nio.charset.StandardCharsets;

/** A status and a JSON body; every answer of ours is JSON (Discord rejects a PONG without the content type). */
public record HttpResponse(int status, byte[] body) {

  public static HttpResponse json(int status, byte[] body) {
    return new HttpResponse(status, body);
  }

  /** {@code {"error": message}} with the given status. */
  public static HttpResponse error(int status, String message) {
    return new HttpResponse(status, Jackson.bytes(Jackson.object().put("error", message)));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public String contentType() {
    return "application/json";
  }
}
