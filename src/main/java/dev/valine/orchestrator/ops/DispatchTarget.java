package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.discord.Interaction;

/**
 * What a command dispatches, and how its run is recognised.
 *
 * @param label the bot's own name for the workflow ({@code deploy}, {@code diagnose}): metrics dimension and
 *     prefix of the facts recorded in the job's progress, never a user's text
 * @param workflow {@code DEPLOY_WORKFLOW} or {@code DIAGNOSE_WORKFLOW}: a workflow name, file name or id
 * @param correlationId sent as the {@code correlation_id} input; the workflow's {@code run-name} carries it, which
 *     is how the run is found when GitHub does not name it
 */
record DispatchTarget(String label, String workflow, String correlationId) {
  /**
   * The target for one interaction. The correlation id is the interaction's, so every attempt of the same
   * interaction (a retried or taken-over job) looks for the same run.
   */
  static DispatchTarget of(String label, String workflow, Interaction interaction) {
    return new DispatchTarget(label, workflow, "valine-" + interaction.id());
  }

  /** A progress fact of this target's dispatch, e.g. {@code deploy_run_id}. */
  String fact(String name) {
    return label + "_" + name;
  }
}
