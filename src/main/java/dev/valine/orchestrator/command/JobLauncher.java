package dev.valine.orchestrator.command;

/**
 * Starts a {@link DeferredJob} somewhere that keeps running after the reply has gone: an asynchronous
 * invocation of the same Lambda function, or a worker thread of the local server. The job is the
 * deferred half of a command, or alerts the invocation could not deliver before its reply.
 */
public interface JobLauncher {
  /**
   * Hands the job off and returns at once, before the job runs.
   *
   * @throws JobLaunchException if the job could not be handed off; the caller then answers inline
   */
  void launch(DeferredJob job) throws JobLaunchException;

  /**
   * Gets ready to launch, for example by building a client, while a command runs: a deferral happens
   * when the inline budget is spent, and what is left of Discord's 3 s is no time to build one. Called
   * on a background thread; failures surface in {@link #launch}.
   */
  default void prepare() {}
}
