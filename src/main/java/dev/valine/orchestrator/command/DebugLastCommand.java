package dev.valine.orchestrator.command;

import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceStore;
import java.time.Clock;
import java.util.List;

/**
 * {@code /debug-last}: the caller's own newest trace, step by step, only to the caller. Never another
 * user's: the store is asked by the caller's id alone. Its own invocations are not recorded, so asking
 * twice shows the same command.
 */
public final class DebugLastCommand implements SlashCommand {
  private final TraceStore traces;
  private final boolean enabled;
  private final String stage;
  private final SecretRedactor redactor;
  private final Clock clock;

  public DebugLastCommand(TraceStore traces, boolean enabled, String stage, SecretRedactor redactor, Clock clock) {
    this.traces = traces;
    this.enabled = enabled;
    this.stage = stage;
    this.redactor = redactor;
    this.clock = clock;
  }

  @Override
  public CommandDefinition definition() {
    return new CommandDefinition("debug-last", "Show what your last command did, step by step (only you see it)", List.of());
  }

  @Override
  public InteractionResponse handle(CommandContext context) {
    if (!enabled) {
      return InteractionResponse.ephemeral("`/debug-last` is disabled in stage `" + stage + "` (ENABLE_DEBUG_CMD=false). "
          + "Ask the on-call engineer to look up your command in the logs.");
    }
    return traces.newestFor(context.user().id())
        // Traces were redacted when recorded; this pass guards what the formatting put around them.
        .map(trace -> InteractionResponse.ephemeral(redactor.redact(TraceReport.render(trace, clock.instant()))))
        .orElseGet(() -> InteractionResponse.ephemeral("Nothing to show yet: I have no command of yours on record. "
            + "Run one (for example `/status`), then `/debug-last`. Traces are kept per bot instance and are lost "
            + "when it restarts."));
  }

  @Override
  public boolean recordsTrace() {
    return false;
  }

  @Override
  public boolean ephemeral() {
    return true;
  }
}
