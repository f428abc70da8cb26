package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.observability.TraceRecord;
import dev.valine.orchestrator.observability.TraceStatus;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.state.DynamoTraceStore;
import dev.valine.orchestrator.state.StateClients;
import dev.valine.orchestrator.state.StateTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the shared trace store costs in a fresh JVM: building the {@code DynamoDbClient} (the SDK's
 * generated client on the JDK's URLConnection, configured as the app's), the first write and read of a
 * trace, and warm ones. The client gets time to spare, as SnapStart priming's does: a cold first call can
 * outlast the reply path's limits, and this measures what it costs, not whether it fits. Against the DynamoDB-compatible server at
 * {@code AWS_ENDPOINT_URL_DYNAMODB} ({@code bench/dynamodb.sh} starts dynalite). Usage: {@code
 * DynamoCostProbe create <table>} once (a separate JVM, so the measured one starts cold), then {@code
 * DynamoCostProbe <table>} per run; each run prints one {@code PROBE} line.
 */
public final class DynamoCostProbe {
  private static final int WARM = 50;
  private static final CallLimits TIME_TO_SPARE = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

  private DynamoCostProbe() {}

  public static void main(String[] args) throws Exception {
    AwsEnvironment aws = new AwsEnvironment(System.getenv());
    if (args[0].equals("create")) {
      StateTable.ensureExists(aws, args[1]);
      return;
    }
    String table = args[0];
    Instant now = Instant.now();
    TraceRecord trace = new TraceRecord("probe-trace", "1300000000000000001", "status", "53908232506183680", Optional.empty(),
        Optional.empty(), now, Optional.of(now.plusMillis(240)), TraceStatus.OK,
        List.of(new TraceStep("github.runs deploy.yml", TraceStatus.OK, now, 240, Optional.of("3 runs"))), Optional.empty(),
        Map.of("deploy.yml", "https://github.com/octo-org/deploy-service/actions/runs/1"));

    long started = System.nanoTime();
    DynamoDbClient client = new StateClients.Factory(aws, TIME_TO_SPARE).get();
    long built = System.nanoTime();
    DynamoTraceStore store = new DynamoTraceStore(() -> client, table, Duration.ofDays(7), Clock.systemUTC());
    store.record(trace);
    long firstWrite = System.nanoTime();
    store.newestFor("53908232506183680").orElseThrow();
    long firstRead = System.nanoTime();
    long[] writes = new long[WARM];
    long[] reads = new long[WARM];
    for (int i = 0; i < WARM; i++) {
      long t = System.nanoTime();
      store.record(trace);
      writes[i] = System.nanoTime() - t;
      t = System.nanoTime();
      store.newestFor("53908232506183680").orElseThrow();
      reads[i] = System.nanoTime() - t;
    }
    Arrays.sort(writes);
    Arrays.sort(reads);
    System.out.printf("PROBE build_ms=%d first_write_ms=%d first_read_ms=%d warm_write_median_us=%d warm_read_median_us=%d%n",
        (built - started) / 1_000_000, (firstWrite - built) / 1_000_000, (firstRead - firstWrite) / 1_000_000,
        writes[WARM / 2] / 1_000, reads[WARM / 2] / 1_000);
  }
}
