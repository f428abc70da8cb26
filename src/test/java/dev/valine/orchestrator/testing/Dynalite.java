package dev.valine.orchestrator.testing;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real DynamoDB-compatible server for tests: dynalite (npm, in memory) on a free loopback port, started
 * by the test and stopped with it. Installed into {@code tools/dynalite} with {@code npm ci} on first use
 * ({@code .ci/run} does it up front). Needs Node.js 20+.
 */
public final class Dynalite implements AutoCloseable {
  private static final Path HOME = Path.of("tools", "dynalite");
  private static final AtomicInteger TABLES = new AtomicInteger();

  private final Process process;
  private final int port;

  private Dynalite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Dynalite start() throws IOException, InterruptedException {
    Path cli = HOME.resolve("node_modules/dynalite/cli.js");
    if (!Files.exists(cli)) {
      run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(HOME.toFile()));
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    // Tables become ACTIVE after 20 ms instead of dynalite's default 500 ms: tests create many.
    Process process = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
            "--createTableMs", "20")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Dynalite dynalite = new Dynalite(process, port);
    dynalite.awaitListening();
    return dynalite;
  }

  private static void run(ProcessBuilder command) throws IOException, InterruptedException {
    Process install;
    try {
      install = command.redirectErrorStream(true).redirectOutput(new File("target/dynalite-install.log")).start();
    } catch (IOException e) {
      throw new IOException("dynalite needs Node.js 20+ and npm on the PATH (Debian: apt-get install nodejs npm)", e);
    }
    if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
      throw new IOException("npm ci in " + HOME + " failed; see target/dynalite-install.log");
    }
  }

  private void awaitListening() throws IOException, InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IOException("dynalite exited with " + process.exitValue());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    close();
    throw new IOException("dynalite did not listen on port " + port + " within 15 s");
  }

  /** The environment a container would have, pointed at this server, with obviously fake credentials. */
  public Map<String, String> environment() {
    return FakeAws.environment("DYNAMODB", "http://127.0.0.1:" + port);
  }

  /**
   * A new client, as a separate container would build its own. Its timeouts are generous, since a busy
   * two-core CI machine is slower than DynamoDB; the production ones are tested where they matter.
   */
  public DynamoDbClient client() {
    return AwsClients.dynamoDb(new AwsEnvironment(environment()), new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3));
  }

  /** A table name no other test in this JVM uses. */
  public static String uniqueTable(String purpose) {
    return "test-" + purpose + "-" + TABLES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
