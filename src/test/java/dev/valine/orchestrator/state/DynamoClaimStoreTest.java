package dev.valine.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.ClaimStore;
import dev.valine.orchestrator.command.ClaimStore.JobState;
import dev.valine.orchestrator.command.ClaimStoreContract;
import dev.valine.orchestrator.testing.Dynalite;
import dev.valine.orchestrator.testing.DynaliteServer;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Against dynalite: claims shared by containers through conditional writes, and what the SDK's retries do to them. */
@ExtendWith(WarmAwsSdk.class)
class DynamoClaimStoreTest extends ClaimStoreContract {
  @RegisterExtension
  static final DynaliteServer dynalite = new DynaliteServer();

  private String table;

  @BeforeEach
  void createTable() throws Exception {
    table = Dynalite.uniqueTable("claims");
    StateTable.ensureExists(dynalite.client(), table, Duration.ofSeconds(30));
  }

  /** Each container builds its own client, as each Lambda container does. */
  @Override
  protected ClaimStore container() {
    DynamoDbClient client = dynalite.client();
    return new DynamoClaimStore(() -> client, table, time);
  }

  @Test
  void containersRacingForOneInteractionClaimItExactlyOnce() throws Exception {
    List<ClaimStore> containers = List.of(container(), container());

    List<Boolean> claims = race(20, i -> containers.get(i % 2).claim("claim#1300000000000000001", "token-" + i,
        time.instant().plus(Duration.ofMinutes(25))));

    assertEquals(1, claims.stream().filter(claimed -> claimed).count(), claims.toString());
  }

  @Test
  void containersRacingForOneJobRunItExactlyOnce() throws Exception {
    List<ClaimStore> containers = List.of(container(), container());

    List<JobState> starts = race(20, i -> containers.get(i % 2).begin("job#1300000000000000001", "token-" + i,
        time.instant().plusSeconds(30), time.instant().plus(Duration.ofMinutes(25))));

    assertEquals(1, starts.stream().filter(JobState::runs).count(), starts.toString());
    assertEquals(Set.of(JobState.Status.STARTED, JobState.Status.RUNNING_ELSEWHERE),
        Set.copyOf(starts.stream().map(JobState::status).toList()));
  }

  @Test
  void keepsAJobsProgressAsOneMapOnItsItem() {
    ClaimStore store = container();
    store.begin("job#1", "me", time.instant().plusSeconds(30), time.instant().plus(Duration.ofMinutes(25)));

    store.record("job#1", "me", "dispatch", "requested", time.instant().plusSeconds(30));
    store.record("job#1", "me", "dispatched_run_id", "9000000042", time.instant().plusSeconds(40));

    Map<String, AttributeValue> item = item("job#1", "job");
    assertEquals(Map.of("dispatch", AttributeValue.fromS("requested"), "dispatched_run_id", AttributeValue.fromS("9000000042")),
        item.get("progress").m());
    assertEquals("running", item.get("state").s());
    assertEquals(Long.toString(time.instant().plusSeconds(40).toEpochMilli()), item.get("lease_until").n(), "recording renews the lease");
    assertEquals(Long.toString(time.instant().plus(Duration.ofMinutes(25)).getEpochSecond()), item.get("expires_at").n(), "the TTL attribute");
  }

  /**
   * The claim's write reaches DynamoDB, but its answer does not reach the client in time, so the SDK sends
   * it again. The retry meets the item the first try wrote; it is this claim's own, so the interaction is
   * still this delivery's to answer, not a "repeat" that nobody runs.
   */
  @Test
  void aClaimWhoseAnswerWasLostIsStillTheClaimersAfterTheSdksRetry() throws Exception {
    try (LosingFirstAnswer proxy = new LosingFirstAnswer()) {
      DynamoDbClient client = proxy.client();
      ClaimStore store = new DynamoClaimStore(() -> client, table, time);

      boolean claimed = store.claim("claim#1300000000000000002", "first-delivery", time.instant().plus(Duration.ofMinutes(25)));

      assertTrue(claimed);
      assertTrue(proxy.forwarded.get() >= 2, "the first try reached the table and was sent again: " + proxy.forwarded.get());
      assertEquals("first-delivery", item("claim#1300000000000000002", "claim").get("claimed_by").s());
      assertEquals(false, container().claim("claim#1300000000000000002", "replay", time.instant().plus(Duration.ofMinutes(25))));
    }
  }

  /** The same for a job's begin: the retry finds the job started by itself, and runs it. */
  @Test
  void aJobWhoseBeginAnswerWasLostIsStillStartedByItsAttempt() throws Exception {
    try (LosingFirstAnswer proxy = new LosingFirstAnswer()) {
      DynamoDbClient client = proxy.client();
      ClaimStore store = new DynamoClaimStore(() -> client, table, time);

      JobState state = store.begin("job#1300000000000000003", "attempt-1", time.instant().plusSeconds(30),
          time.instant().plus(Duration.ofMinutes(25)));

      assertEquals(JobState.Status.STARTED, state.status());
      assertTrue(proxy.forwarded.get() >= 2, "forwarded: " + proxy.forwarded.get());
      assertEquals(JobState.Status.RUNNING_ELSEWHERE, container().begin("job#1300000000000000003", "duplicate",
          time.instant().plusSeconds(30), time.instant().plus(Duration.ofMinutes(25))).status());
    }
  }

  private Map<String, AttributeValue> item(String pk, String sk) {
    return dynalite.client().getItem(get -> get.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))
        .consistentRead(true)).item();
  }

  private interface Attempt<T> {
    T run(int i) throws Exception;
  }

  private static <T> List<T> race(int attempts, Attempt<T> attempt) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        int n = i;
        Callable<T> call = () -> {
          start.await();
          return attempt.run(n);
        };
        futures.add(threads.submit(call));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      threads.shutdown();
    }
  }

  /**
   * Plays the network between a container and DynamoDB (dynalite): every request reaches the table, but
   * the answer to the first one is never delivered, so the reply path's client gives that attempt up and
   * retries.
   */
  private static final class LosingFirstAnswer implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger forwarded = new AtomicInteger();
    private DynamoDbClient client;

    LosingFirstAnswer() throws IOException {
      String target = dynalite.environment().get("AWS_ENDPOINT_URL_DYNAMODB");
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          HttpResponse<byte[]> answer;
          try {
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.getBody().toByteArray()));
            // dynalite wants the signature's headers present; it does not check them.
            for (String header : List.of("Content-Type", "X-Amz-Target", "X-Amz-Date", "X-Amz-Security-Token", "Authorization")) {
              String value = request.getHeaders().get(header);
              if (value != null) {
                forward.header(header, value);
              }
            }
            answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
          } catch (IOException e) {
            throw new IllegalStateException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          if (forwarded.incrementAndGet() == 1) {
            // Applied by the table; the answer never arrives.
            return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
          }
          MockResponse.Builder response = new MockResponse.Builder().code(answer.statusCode()).body(new okio.Buffer().write(answer.body()));
          answer.headers().firstValue("x-amz-crc32").ifPresent(crc -> response.setHeader("x-amz-crc32", crc));
          answer.headers().firstValue("Content-Type").ifPresent(type -> response.setHeader("Content-Type", type));
          return response.build();
        }
      });
      server.start();
    }

    /**
     * A client as the app builds it, talking through this proxy. Its attempts are given more time than the
     * reply path's, so that only the lost answer, never a busy machine, makes it retry.
     */
    DynamoDbClient client() {
      client = AwsClients.dynamoDb(new AwsEnvironment(FakeAws.environment("DYNAMODB", server.url("/").toString())),
          new CallLimits(Duration.ofSeconds(20), Duration.ofSeconds(2), 3));
      return client;
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
      server.close();
    }
  }

  @Test
  void claimsAndJobsHaveItemsOfTheirOwnBesideTracesAndAlertWindows() {
    ClaimStore store = container();
    Instant expiry = time.instant().plus(Duration.ofMinutes(25));

    store.claim("claim#7", "t", expiry);
    store.begin("job#7", "t", time.instant().plusSeconds(30), expiry);

    assertEquals(Set.of("pk", "sk", "expires_at", "claimed_by"), item("claim#7", "claim").keySet());
    assertEquals(Set.of("pk", "sk", "expires_at", "owner", "started_by", "state", "lease_until", "progress"), item("job#7", "job").keySet());
  }
}
