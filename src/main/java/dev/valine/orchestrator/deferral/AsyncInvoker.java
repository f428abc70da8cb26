package dev.valine.orchestrator.deferral;

import dev.valine.orchestrator.command.JobLaunchException;
import java.util.Optional;

/**
 * Queues one asynchronous ({@code InvocationType=Event}) invocation of a Lambda function. The seam
 * between the launcher and the AWS SDK: the launcher is built with the app, and only this interface
 * appears in it, so the SDK's classes load when a command first needs them, never on a PING.
 */
public interface AsyncInvoker {
  /** @throws JobLaunchException if Lambda did not accept the event (throttled, no permission, unreachable) */
  void invokeAsync(String functionName, Optional<String> qualifier, byte[] payload) throws JobLaunchException;

  /** Gets what the first invoke needs without invoking anything; failures surface in {@link #invokeAsync}. */
  default void prepare() {}
}
