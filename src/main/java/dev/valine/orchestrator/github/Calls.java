package dev.valine.orchestrator.github;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP calls behind one future that {@link GitHubClient} returns. Cancelling that future cancels them,
 * and any it would start later; other cancel actions (leaving a shared request) run with them. Thread-safe.
 */
final class Calls {
  private final List<Runnable> onCancel = new ArrayList<>();
  private boolean cancelled;

  void add(Runnable cancelAction) {
    synchronized (this) {
      if (!cancelled) {
        onCancel.add(cancelAction);
        return;
      }
    }
    cancelAction.run();
  }

  void cancel() {
    List<Runnable> actions;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      actions = List.copyOf(onCancel);
      onCancel.clear();
    }
    actions.forEach(Runnable::run);
  }

  /** {@code future}, which now cancels these calls when it is cancelled. */
  <T> CompletableFuture<T> behind(CompletableFuture<T> future) {
    future.whenComplete((value, failure) -> {
      if (future.isCancelled()) {
        cancel();
      }
    });
    return future;
  }
}
