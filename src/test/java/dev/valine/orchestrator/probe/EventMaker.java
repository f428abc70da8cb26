package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.Signer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Writes signed HTTP API events for the cold-start probe into a directory: {@code ping.json},
 * {@code status.json} and {@code deploy-client.json}, signed with a fresh key pair whose public key goes to {@code public-key.txt}.
 * Their {@code requestContext.timeEpoch} is {@link #ARRIVAL_PLACEHOLDER}; the probe script replaces it
 * with the launch time of each run, as if API Gateway received the request just as the cold start began.
 */
public final class EventMaker {
  /** Not part of the signed body, so it can be rewritten per run without breaking the signature. */
  public static final long ARRIVAL_PLACEHOLDER = 1111111111111L;

  private EventMaker() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
    Signer discord = new Signer(keys, Clock.systemUTC());
    InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());
    Files.writeString(dir.resolve("public-key.txt"), keys.publicKeyHex());
    Files.write(dir.resolve("ping.json"), Jackson.bytes(withPlaceholder(discord.httpApiEvent(Jackson.bytes(interactions.ping()), false))));
    var status = interactions.command("status", Optional.empty(), Map.of());
    ((com.fasterxml.jackson.databind.node.ArrayNode) status.path("data").path("options")).addObject()
        .put("name", "count").put("type", 4).put("value", 3);
    Files.write(dir.resolve("status.json"), Jackson.bytes(withPlaceholder(discord.httpApiEvent(Jackson.bytes(status), false))));
    // From the builder's default user, whom the script makes an operator: a command that changes something, deferred at once.
    var deploy = interactions.command("deploy-client", Optional.empty(), Map.of());
    Files.write(dir.resolve("deploy-client.json"), Jackson.bytes(withPlaceholder(discord.httpApiEvent(Jackson.bytes(deploy), false))));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode withPlaceholder(com.fasterxml.jackson.databind.node.ObjectNode event) {
    ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("requestContext")).put("timeEpoch", ARRIVAL_PLACEHOLDER);
    return event;
  }
}
