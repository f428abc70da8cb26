package dev.valine.orchestrator.endpoint;

import static dev.valine.orchestrator.observability.LogField.kv;

import dev.valine.orchestrator.command.CommandDispatcher;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionParser;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.MalformedInteractionException;
import dev.valine.orchestrator.discord.SignatureVerifier;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.observability.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /interactions}, shared by Lambda and the local server: size check, signature check over the
 * exact bytes, parse, then PING or command. Every failure maps to its status here, in one place (README,
 * "HTTP contract"): 413, 401, 400, and 500 for anything unexpected before a command runs. Never throws.
 *
 * <p>A command interaction goes to the {@link CommandDispatcher}, which first claims it, once per interaction:
 * a signed request replayed within the signature window is still 200, answered with an ephemeral "This
 * interaction was already handled." and nothing run. Refusing it with an error status would tell a
 * replayer no more, and would turn a harmless second delivery into a failure in Discord's eyes.
 */
public final class InteractionEndpoint {
  /** Discord interactions are a few KiB; anything past this is not from Discord. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  // The gateway's arrival time is trusted only when it is plausible against our own clock.
  private static final Duration MAX_ARRIVAL_SKEW = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(InteractionEndpoint.class);

  private final SignatureVerifier verifier;
  private final InteractionParser parser;
  private final CommandDispatcher dispatcher;
  private final Metrics metrics;
  private final Clock clock;

  public InteractionEndpoint(SignatureVerifier verifier, InteractionParser parser, CommandDispatcher dispatcher, Metrics metrics,
      Clock clock) {
    this.verifier = verifier;
    this.parser = parser;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.clock = clock;
  }

  public HttpResponse handle(HttpRequest request) {
    try {
      return route(request);
    } catch (RuntimeException | LinkageError e) {
      LOG.error("unexpected failure handling an interaction", e);
      return HttpResponse.error(500, "internal error");
    }
  }

  private HttpResponse route(HttpRequest request) {
    if (!"POST".equalsIgnoreCase(request.method())) {
      return HttpResponse.error(405, "use POST for interactions");
    }
    if (request.body().length > MAX_BODY_BYTES) {
      LOG.warn("request body too large {}", kv("bytes", request.body().length));
      return HttpResponse.error(413, "request body exceeds " + MAX_BODY_BYTES / 1024 + " KiB");
    }
    String signature = request.header("X-Signature-Ed25519");
    String timestamp = request.header("X-Signature-Timestamp");
    SignatureVerifier.Result verdict = verifier.verify(signature, timestamp, request.body());
    if (verdict != SignatureVerifier.Result.VALID) {
      String reason = verdict.name().toLowerCase(java.util.Locale.ROOT);
      LOG.warn("request signature rejected {}", kv("reason", reason));
      metrics.signatureRejected(reason);
      return HttpResponse.error(401, "invalid request signature");
    }
    Interaction interaction;
    try {
      interaction = parser.parse(request.body());
    } catch (MalformedInteractionException e) {
      LOG.warn("malformed interaction: {}", e.getMessage());
      return HttpResponse.error(400, "malformed interaction: " + e.getMessage());
    }
    return HttpResponse.json(200, respond(interaction, request, signature, timestamp).toJsonBytes());
  }

  private InteractionResponse respond(Interaction interaction, HttpRequest request, String signature, String timestamp) {
    switch (interaction.type()) {
      case PING:
        return InteractionResponse.pong();
      case APPLICATION_COMMAND:
        // Kept as signed: a deferred half verifies the interaction again rather than trusting the hand-off.
        Instant arrival = arrival(request);
        InteractionResponse reply = dispatcher.dispatch(interaction, new SignedInteraction(request.body(), signature, timestamp),
            arrival, request.xrayTraceHeader());
        metrics.commandReplied(Duration.between(arrival, clock.instant()).toMillis());
        return reply;
      case APPLICATION_COMMAND_AUTOCOMPLETE:
        return InteractionResponse.noChoices();
      default:
        // Buttons and modals: we send none, so one arriving is stale or foreign.
        return InteractionResponse.ephemeral("This bot has no buttons or forms to handle that interaction.");
    }
  }

  private Instant arrival(HttpRequest request) {
    Instant now = clock.instant();
    return request.arrival()
        .filter(at -> !at.isAfter(now) && Duration.between(at, now).compareTo(MAX_ARRIVAL_SKEW) <= 0)
        .orElse(now);
  }
}
