package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.LoopbackUpstreams;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.Claims;
import dev.valine.orchestrator.command.MemoryClaimStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.state.DynamoClaimStore;
import dev.valine.orchestrator.state.StateClients;
import dev.valine.orchestrator.state.StateTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What claiming an interaction adds to a command's reply: the conditional write the dispatcher makes before
 * the command runs ({@link Claims#claimInteraction}), as the app wires it, against the DynamoDB-compatible
 * server at {@code AWS_ENDPOINT_URL_DYNAMODB} ({@code bench/claims.sh} starts dynalite). In a fresh JVM: the
 * client built and warmed by one read, as {@code App.prime()} leaves it; then the first claim, the first
 * replay (a refused claim), and the medians of warm ones; and the in-memory claim for comparison. Modes:
 * {@code create <table>} once (a separate JVM, so the measured ones start cold); {@code cold <table>}: the
 * claim path's classes load on the first claim; {@code primed <table>}: a throwaway client first claims
 * through a loopback stand-in, as SnapStart priming does before the snapshot. Each run prints one
 * {@code PROBE} line.
 */
public final class ClaimCostProbe {
  private static final int WARM = 200;
  // Time to spare, as priming's clients have: a cold first call is measured, not held to the reply path's limits.
  private static final CallLimits TIME_TO_SPARE = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);
  // A key that never exists: the read that warms the client.
  private static final Map<String, AttributeValue> WARM_UP = Map.of("pk", AttributeValue.fromS("warm-up"), "sk", AttributeValue.fromS("warm-up"));
  private static final AtomicLong IDS = new AtomicLong(1_300_000_000_000_000_000L + System.nanoTime() % 1_000_000_000L * 1_000);

  private ClaimCostProbe() {}

  public static void main(String[] args) throws Exception {
    AwsEnvironment aws = new AwsEnvironment(System.getenv());
    String mode = args[0];
    String table = args[1];
    if (mode.equals("create")) {
      StateTable.ensureExists(aws, table);
      return;
    }
    if (mode.equals("primed")) {
      primeThroughAStandIn();
    }
    long started = System.nanoTime();
    DynamoDbClient client = new StateClients.Factory(aws, TIME_TO_SPARE).get();
    long built = System.nanoTime();
    // What App.prime() (SnapStart) or the first trace write (serve) leaves behind: credentials, a pooled connection.
    client.getItem(get -> get.tableName(table).key(WARM_UP));
    long prepared = System.nanoTime();
    Claims claims = claims(client, table);

    Instant signedAt = Instant.now();
    String first = next();
    long t = System.nanoTime();
    expect(Claims.Verdict.FIRST, claims.claimInteraction(first, signedAt, false));
    long firstClaim = System.nanoTime() - t;
    t = System.nanoTime();
    expect(Claims.Verdict.REPEAT, claims.claimInteraction(first, signedAt, false));
    long firstRepeat = System.nanoTime() - t;

    long[] warm = new long[WARM];
    long[] repeats = new long[WARM];
    for (int i = 0; i < WARM; i++) {
      String id = next();
      t = System.nanoTime();
      expect(Claims.Verdict.FIRST, claims.claimInteraction(id, signedAt, false));
      warm[i] = System.nanoTime() - t;
      t = System.nanoTime();
      expect(Claims.Verdict.REPEAT, claims.claimInteraction(id, signedAt, false));
      repeats[i] = System.nanoTime() - t;
    }
    Claims memory = Claims.inMemory(Clock.systemUTC());
    long[] inMemory = new long[WARM];
    for (int i = 0; i < WARM; i++) {
      String id = next();
      t = System.nanoTime();
      expect(Claims.Verdict.FIRST, memory.claimInteraction(id, signedAt, false));
      inMemory[i] = System.nanoTime() - t;
    }
    client.close();
    System.out.printf("PROBE mode=%s build_ms=%d prepare_ms=%d first_claim_ms=%d first_repeat_ms=%d warm_claim_median_us=%d "
            + "warm_repeat_median_us=%d memory_claim_median_us=%d%n", mode, (built - started) / 1_000_000, (prepared - built) / 1_000_000,
        firstClaim / 1_000_000, firstRepeat / 1_000_000, median(warm) / 1_000, median(repeats) / 1_000, median(inMemory) / 1_000);
  }

  /** As SnapStart priming: one claim and one refused claim through the SDK, against a loopback stand-in, on a throwaway client. */
  private static void primeThroughAStandIn() throws Exception {
    try (LoopbackUpstreams standIn = LoopbackUpstreams.start(0);
        DynamoDbClient throwaway = new StateClients.Factory(new AwsEnvironment(standIn.awsEnvironment("eu-west-1", "priming")),
            TIME_TO_SPARE).get()) {
      throwaway.getItem(get -> get.tableName("priming").key(WARM_UP));
      Claims claims = claims(throwaway, "priming");
      String id = next();
      expect(Claims.Verdict.FIRST, claims.claimInteraction(id, Instant.now(), false));
      expect(Claims.Verdict.REPEAT, claims.claimInteraction(id, Instant.now(), false));
    }
  }

  /** Wired as the app wires them, with the table's client already built. */
  private static Claims claims(DynamoDbClient client, String table) {
    return new Claims(Optional.of(() -> new DynamoClaimStore(() -> client, table, Clock.systemUTC())), () -> true,
        new MemoryClaimStore(16, Clock.systemUTC()), Claims.retention(Duration.ofMinutes(5)), Clock.systemUTC(), Metrics.NONE);
  }

  private static String next() {
    return Long.toString(IDS.incrementAndGet());
  }

  private static void expect(Claims.Verdict expected, Claims.Verdict got) {
    if (expected != got) {
      throw new IllegalStateException("expected " + expected + ", got " + got + ": the probe would measure the wrong path");
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
