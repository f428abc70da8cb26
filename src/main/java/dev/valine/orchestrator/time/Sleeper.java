package dev.valine.orchestrator.time;

import java.time.Duration;

/** Waits; injected so that rate-limit and retry waits are instant and observable in tests. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** The real one. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
}
