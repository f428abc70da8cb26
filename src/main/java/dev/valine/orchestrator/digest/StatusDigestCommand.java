package dev.valine.orchestrator.digest;

import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionDefinition;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.github.GitHubClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /status-digest [period]}: per workflow of {@code STATUS_WORKFLOWS}, the runs completed over the last day
 * (default) or week, rendered by {@link DigestService}. Read-only and open to everyone. Not always deferred: a
 * daily digest of a few workflows is one GitHub call each and often answers inline; a longer one is deferred
 * when the inline budget runs out, like any command.
 */
public final class StatusDigestCommand implements SlashCommand {
  private final DigestService digests;

  /** Shares {@code digests} with the scheduled digest, so that the two render alike. */
  public StatusDigestCommand(DigestService digests) {
    this.digests = digests;
  }

  /** With a digest service of its own, built as {@code /status} is. */
  public StatusDigestCommand(Optional<Supplier<GitHubClient>> github, List<String> workflows, String stage, Clock clock) {
    this(new DigestService(github, workflows, stage, clock));
  }

  @Override
  public CommandDefinition definition() {
    return new CommandDefinition("status-digest", "Runs, failures and durations of the deploy workflows over a day or a week",
        List.of(OptionDefinition.string("period", "daily: the last 24 h (default); weekly: the last 7 days", false, DigestPeriod.ids())));
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws InterruptedException {
    String requested = context.interaction().option("period").flatMap(CommandOption::stringValue).orElse(DigestPeriod.DAILY.id());
    Optional<DigestPeriod> period = DigestPeriod.of(requested);
    if (period.isEmpty()) {
      // Discord offers only the choices; a hand-built request (the `invoke` tool) can send anything.
      return InteractionResponse.ephemeral("`period` must be " + String.join(" or ", DigestPeriod.ids()) + ", got `"
          + requested.replace('`', '\'') + "`.");
    }
    DigestService.Digest digest;
    try {
      digest = digests.digest(period.get(), context.deadline(), context.cancellation(), Optional.of(context.trace()));
    } catch (DigestUnavailableException e) {
      return InteractionResponse.ephemeral(e.getMessage());
    }
    for (DigestService.Failure failure : digest.failures()) {
      // Failures the team must fix or GitHub must recover from; a wrong name or a slow moment is the user's to see.
      if (failure.error().kind().isOperational()) {
        context.alert(Severity.ERROR, "GitHub call failed", "Fetching the digest of `" + failure.workflow() + "`: "
            + failure.error().getMessage(), "GitHub " + failure.error().kind());
      }
    }
    if (digest.text().isEmpty()) {
      context.trace().fail("no workflow's runs could be fetched: " + digest.unavailableReason());
      // Nothing to show: tell only the caller, and say what failed.
      return InteractionResponse.ephemeral(digest.unavailableReason());
    }
    return InteractionResponse.message(digest.text().get());
  }
}
