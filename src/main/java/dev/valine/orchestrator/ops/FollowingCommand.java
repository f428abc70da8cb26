package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.discord.Interaction;
import java.time.Duration;
import java.util.Optional;

/**
 * A command that dispatches a workflow and follows its run: it changes something, so an operator's invocation
 * runs once, in the deferred half, for as long as following takes; anyone else's is refused at once, inline
 * and ephemeral, with nothing claimed.
 */
abstract class FollowingCommand implements SlashCommand {
  private final DispatchAndFollow flow;

  FollowingCommand(DispatchAndFollow flow) {
    this.flow = flow;
  }

  DispatchAndFollow flow() {
    return flow;
  }

  @Override
  public final boolean changesSomething() {
    return true;
  }

  /**
   * Only an operator's invocation with options that can pass acts. Anyone else's, and one whose options are refused
   * on their text alone, is refused at once, inline and ephemeral: a deferred reply would show the refusal to the
   * whole channel.
   */
  @Override
  public final boolean changesSomething(Interaction interaction) {
    return flow.mayDispatch(interaction) && optionsWellFormed(interaction);
  }

  /** Whether the options pass the checks that need nothing resolved ({@link OptionChecks#wellFormed}). */
  abstract boolean optionsWellFormed(Interaction interaction);

  /** Following stops 14 minutes after the dispatch; the last edit gets the rest of the interaction token's life. */
  @Override
  public final Optional<Duration> runsFor() {
    return Optional.of(RunFollower.FOLLOW_FOR.plus(Duration.ofSeconds(30)));
  }
}
