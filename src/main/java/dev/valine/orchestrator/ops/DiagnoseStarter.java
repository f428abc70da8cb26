package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;

/**
 * Starts the diagnose workflow once for this interaction, without following it: what
 * {@code /verify-latest diagnose:true} asks for beside its verification.
 */
@FunctionalInterface
interface DiagnoseStarter {
  /**
   * Dispatches {@code DIAGNOSE_WORKFLOW} at most once per interaction (recorded in the context's progress).
   *
   * @return one line for the answer: the run's link, or why it did not start and what to do
   */
  String start(CommandContext context) throws InterruptedException;
}
