package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.github.GitHubException;
import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.time.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Waits for one GitHub call of a command, registered with the command's cancellation and bounded in time. */
final class Await {
  // Beyond the call's own deadline, for the client to report its timeout itself (with a better message).
  private static final Duration GRACE = Duration.ofSeconds(2);

  private Await() {}

  /**
   * A deadline for one call: {@code limit} from now, or the command's deadline if that comes first, so that one
   * slow answer cannot eat the time the command keeps for its last edit.
   */
  static Deadline within(CommandContext context, Duration limit) {
    Deadline overall = context.deadline();
    Instant bounded = overall.clock().instant().plus(limit);
    return new Deadline(bounded.isBefore(overall.at()) ? bounded : overall.at(), overall.clock());
  }

  /**
   * Starts a call with its deadline and waits for its result.
   *
   * @throws GitHubException as the call failed, or {@link Kind#TIMEOUT} when it did not end in time (then cancelled)
   */
  static <T> T call(CommandContext context, Duration limit, Function<Deadline, CompletableFuture<T>> call)
      throws GitHubException, InterruptedException {
    Deadline deadline = within(context, limit);
    CompletableFuture<T> pending = context.cancellation().register(call.apply(deadline));
    try {
      return pending.get(deadline.remaining().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof GitHubException gitHub) {
        throw gitHub;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new GitHubException(Kind.TIMEOUT, "GitHub did not answer in time.", e);
    }
  }
}
