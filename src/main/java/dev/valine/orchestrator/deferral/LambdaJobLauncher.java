package dev.valine.orchestrator.deferral;

import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.command.JobLauncher;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * In Lambda: hands a deferred job to an asynchronous invocation of this same function version, which
 * Lambda answers with 202 as soon as it has queued the event. The function freezes once it has answered
 * Discord, so the work cannot continue on a thread here.
 *
 * <p>The invoker (and with it the SDK client) is built on first use, or by {@link #prepare()} while a
 * command runs or before the SnapStart snapshot, and kept for the container.
 */
public final class LambdaJobLauncher implements JobLauncher {
  private final Supplier<? extends AsyncInvoker> invoker;
  private final String functionName;
  private final Optional<String> qualifier;

  /**
   * @param functionName this function's name
   * @param qualifier the version (or alias) that is running, so the job runs the same code
   */
  public LambdaJobLauncher(Supplier<? extends AsyncInvoker> invoker, String functionName, Optional<String> qualifier) {
    this.invoker = invoker;
    this.functionName = functionName;
    this.qualifier = qualifier;
  }

  @Override
  public void prepare() {
    invoker.get().prepare();
  }

  @Override
  public void launch(DeferredJob job) throws JobLaunchException {
    invoker.get().invokeAsync(functionName, qualifier, JobEvents.encode(job));
  }
}
