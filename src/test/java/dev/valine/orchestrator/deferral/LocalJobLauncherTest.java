package dev.valine.orchestrator.deferral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.discord.SignedInteraction;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LocalJobLauncherTest {
  private static DeferredJob job(String traceId) {
    return new DeferredJob(traceId, new SignedInteraction(new byte[0], "s", "1"), Instant.EPOCH, Instant.EPOCH);
  }

  @Test
  void runsJobsOnItsWorkers() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    try (LocalJobLauncher launcher = new LocalJobLauncher(job -> ran.add(job.traceId()), 2, 4)) {
      launcher.launch(job("a"));
      launcher.launch(job("b"));

      assertTrue(launcher.drain(5));
    }
    assertEquals(List.of("a", "b"), ran.stream().sorted().toList());
  }

  @Test
  void refusesAJobWhenWorkersAndQueueAreFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (LocalJobLauncher launcher = new LocalJobLauncher(job -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, 1, 1)) {
      launcher.launch(job("running"));
      launcher.launch(job("queued"));

      JobLaunchException error = assertThrows(JobLaunchException.class, () -> launcher.launch(job("one too many")));

      assertEquals("all 1 deferred-job workers are busy and 1 jobs are waiting", error.getMessage());
      release.countDown();
    }
  }
}
