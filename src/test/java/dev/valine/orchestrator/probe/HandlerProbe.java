package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.InteractionHandler;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import dev.valine.orchestrator.testing.Signer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Loads the Lambda handler the way the runtime does (no-arg constructor, configuration from the process
 * environment) and feeds it one signed PING as an HTTP API event; prints the response event. Runs on the
 * shaded jar plus this class, so it proves the artifact Lambda gets can answer Discord.
 *
 * <p>Usage: {@code VALINE_SIGNING_KEY=<private hex> DISCORD_PUBLIC_KEY=<public hex> java -cp jar:test-classes
 * dev.valine.orchestrator.probe.HandlerProbe}
 */
public final class HandlerProbe {
  private HandlerProbe() {}

  public static void main(String[] args) throws Exception {
    Ed25519KeyPair keys = Ed25519KeyPair.fromPrivateKeyHex(System.getenv("VALINE_SIGNING_KEY"));
    Signer discord = new Signer(keys, Clock.systemUTC());
    byte[] event = Jackson.bytes(discord.httpApiEvent(Jackson.bytes(new InteractionBuilder(new SecureRandom()).ping()), false));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new InteractionHandler().handleRequest(new ByteArrayInputStream(event), out, new FakeLambdaContext());

    System.out.println(out.toString(StandardCharsets.UTF_8));
  }
}
