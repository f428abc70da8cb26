package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.LoopbackUpstreams;

/**
 * GitHub on loopback for benchmarks: answers every runs request with three realistic runs. Prints its
 * port, then serves until killed. Usage: {@code FakeGitHub <port>} (0 for any free port).
 */
public final class FakeGitHub {
  private FakeGitHub() {}

  public static void main(String[] args) throws Exception {
    LoopbackUpstreams upstreams = LoopbackUpstreams.start(Integer.parseInt(args[0]));
    System.out.println("FAKE_GITHUB_PORT=" + upstreams.port());
    System.out.flush();
  }
}
