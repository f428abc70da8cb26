package dev.valine.orchestrator.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.CommandDispatcher;
import dev.valine.orchestrator.command.CommandRegistry;
import dev.valine.orchestrator.command.CommandRunner;
import dev.valine.orchestrator.util.Lazy;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.discord.InteractionParser;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.SignatureVerifier;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.local.InteractionBuilder;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.testing.Signer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class InteractionEndpointTest {
  private final Clock clock = Clock.systemUTC();
  private final Signer discord = new Signer(clock);
  private final InteractionBuilder interactions = new InteractionBuilder(new SecureRandom());

  private InteractionEndpoint endpoint(SlashCommand command, Supplier<String> traceIds) {
    CommandDispatcher dispatcher = new CommandDispatcher(new CommandRegistry(List.of(command)),
        new CommandDispatcher.Timing(Duration.ofSeconds(2), Duration.ofSeconds(60)), clock, header -> traceIds.get(),
        new Observability(new InMemoryTraceStore(10), () -> Tracing.NONE, new SecretRedactor(), "dev"),
        dev.valine.orchestrator.alert.Alerter.NONE, new CommandRunner(new Lazy<>(() -> CommandRunner.defaultWorkers(16))), job -> { });
    return new InteractionEndpoint(new SignatureVerifier(discord.publicKeyHex(), Duration.ofSeconds(300), clock),
        new InteractionParser(), dispatcher, dev.valine.orchestrator.observability.Metrics.NONE, clock);
  }

  private static SlashCommand failing() {
    return new SlashCommand() {
      @Override
      public CommandDefinition definition() {
        return new CommandDefinition("fail", "always fails", List.of());
      }

      @Override
      public InteractionResponse handle(CommandContext context) {
        throw new IllegalStateException("boom at line 42");
      }
    };
  }

  @Test
  void answersFailedCommandWith200AndEphemeralErrorWithoutStackTrace() throws Exception {
    HttpResponse response = endpoint(failing(), () -> "trace-abc")
        .handle(discord.request(interactions.command("fail", Optional.empty(), Map.of())));

    JsonNode body = Jackson.parse(response.body());
    assertEquals(200, response.status());
    assertEquals(64, body.path("data").path("flags").asInt());
    assertTrue(body.path("data").path("content").asText().contains("Something went wrong (trace `trace-abc`)"));
    assertFalse(response.bodyText().contains("boom"));
    assertFalse(response.bodyText().contains("IllegalStateException"));
  }

  @Test
  void answersUnexpectedFailureBeforeCommandRunsWith500() throws Exception {
    HttpResponse response = endpoint(failing(), () -> {
      throw new IllegalStateException("trace id source broken");
    }).handle(discord.request(interactions.command("fail", Optional.empty(), Map.of())));

    assertEquals(500, response.status());
    assertEquals(Jackson.parse("{\"error\":\"internal error\"}"), Jackson.parse(response.body()));
  }

  @Test
  void answersAutocompleteWithNoChoices() throws Exception {
    var autocomplete = interactions.command("fail", Optional.empty(), Map.of()).put("type", 4);

    HttpResponse response = endpoint(failing(), () -> "t").handle(discord.request(autocomplete));

    assertEquals(Jackson.parse("{\"type\":8,\"data\":{\"choices\":[]}}"), Jackson.parse(response.body()));
  }
}
