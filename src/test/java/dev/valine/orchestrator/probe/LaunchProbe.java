package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.command.JobLauncher;
import dev.valine.orchestrator.discord.SignedInteraction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Launches one deferred job the way the inline half does in Lambda (the launcher chosen from the process
 * environment, the real SDK client) and prints {@code launched} or {@code refused: <message>}. Run on the
 * shaded jar, it proves the trimmed Lambda client in the artifact still works.
 */
public final class LaunchProbe {
  private LaunchProbe() {}

  public static void main(String[] args) {
    JobLauncher launcher = App.defaultLaunchers(System.getenv()).apply(job -> { });
    DeferredJob job = new DeferredJob("probe-trace", new SignedInteraction("{\"type\":2}".getBytes(StandardCharsets.UTF_8),
        "ab".repeat(64), Long.toString(Instant.now().getEpochSecond())), Instant.now(), Instant.now());
    try {
      launcher.launch(job);
      System.out.println("launched");
    } catch (JobLaunchException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}
