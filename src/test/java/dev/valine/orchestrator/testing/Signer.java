package dev.valine.orchestrator.testing;

import dev.valine.orchestrator.endpoint.ApiGatewayEvents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.endpoint.HttpRequest;
import dev.valine.orchestrator.json.Jackson;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** Plays Discord: a real Ed25519 key pair that signs bodies and wraps them into requests and Lambda events. */
public final class Signer {
  private final Ed25519KeyPair keys;
  private final Clock clock;

  public Signer(Clock clock) {
    this(Ed25519KeyPair.generate(new SecureRandom()), clock);
  }

  public Signer(Ed25519KeyPair keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  public String publicKeyHex() {
    return keys.publicKeyHex();
  }

  public Ed25519KeyPair keys() {
    return keys;
  }

  public String now() {
    return Long.toString(clock.millis() / 1000);
  }

  public String sign(String timestamp, byte[] body) {
    return keys.sign(timestamp, body);
  }

  /** A correctly signed POST /interactions. */
  public HttpRequest request(byte[] body) {
    String timestamp = now();
    return new HttpRequest("POST", "/interactions",
        Map.of("X-Signature-Ed25519", sign(timestamp, body), "X-Signature-Timestamp", timestamp), body, Optional.empty());
  }

  public HttpRequest request(ObjectNode interaction) {
    return request(Jackson.bytes(interaction));
  }

  /** An HTTP API / Function URL (payload 2.0) event: lower-case headers, optionally a base64 body. */
  public ObjectNode httpApiEvent(byte[] body, boolean base64) {
    String timestamp = now();
    return ApiGatewayEvents.httpApiEvent(sign(timestamp, body), timestamp, body, base64, clock.millis());
  }

  /** A REST API (1.0) proxy event: headers keep the client's mixed casing. */
  public ObjectNode restApiEvent(byte[] body) {
    String timestamp = now();
    ObjectNode event = Jackson.object().put("resource", "/interactions").put("path", "/interactions").put("httpMethod", "POST");
    event.putObject("headers").put("Content-Type", "application/json")
        .put("X-Signature-Ed25519", sign(timestamp, body)).put("X-Signature-Timestamp", timestamp);
    event.putObject("requestContext").put("requestId", "req-2").put("requestTimeEpoch", clock.millis());
    event.put("body", new String(body, StandardCharsets.UTF_8));
    event.put("isBase64Encoded", false);
    return event;
  }
}
