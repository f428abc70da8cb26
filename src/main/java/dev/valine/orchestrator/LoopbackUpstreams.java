package dev.valine.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.valine.orchestrator.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * GitHub, Discord, DynamoDB, Lambda and Secrets Manager stand-ins on 127.0.0.1 with canned answers, and a deployed
 * frontend and API: GitHub holds one deploy run that a dispatch starts and that is completed with success when
 * read (its job, and a {@code diagnose-summary} artifact downloaded through a redirect to storage here), no
 * repository variable, and a page of three workflow runs for every other request; every Discord request gets a
 * message that still shows "thinking…" (the content of each edit is kept, see {@link #lastEdit()}); the frontend
 * and the API answer 200; every Lambda {@code Invoke} a 202, every {@code GetSecretValue} a secret of obviously fake
 * tokens made for priming, and each DynamoDB operation the bot uses a minimal valid answer:
 * nothing found, and nothing stored but the keys of claims, so that a claim succeeds once and a second
 * claim of the same interaction is refused; an alert window is always open, so the alert dedup also counts.
 * SnapStart priming points a throwaway app at them, so the request path, AWS SDK clients included, runs
 * in full before the snapshot without touching the network; the benchmarks use them too.
 */
public final class LoopbackUpstreams implements AutoCloseable {
  // A reply still "thinking…" (flag LOADING), so a primed deferred job runs to its edit.
  private static final byte[] DISCORD_MESSAGE = "{\"id\":\"1\",\"flags\":128}".getBytes(StandardCharsets.UTF_8);
  // Fake keys for the stand-ins, which check no signature; not credentials.
  private static final String FAKE_KEY = "snapstart-priming";
  /** The one deploy run of the GitHub stand-in: what a dispatch starts, and what {@code /verify-run} can name. */
  public static final long RUN_ID = 9_000_000_100L;
  private static final long ARTIFACT_ID = 77;
  /** The detail of the one check in the stand-in's diagnose summary. */
  public static final String SUMMARY_DETAIL = "answered by the loopback stand-in";
  private static final String RUN_PAGE = "https://github.com/octo-org/deploy-service/actions/runs/";
  private static final String SITE = "/site";
  private static final String STORAGE = "/storage";

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final Set<String> awsOperations = new ConcurrentSkipListSet<>();
  // Keys of the claims written so far: the only state the DynamoDB stand-in keeps.
  private final Set<String> claimed = new ConcurrentSkipListSet<>();
  private final AtomicInteger dispatches = new AtomicInteger();
  private final AtomicInteger siteRequests = new AtomicInteger();
  private final byte[] summaryZip = summaryZip();
  private volatile String lastEdit = "";

  private LoopbackUpstreams(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port ({@code port} 0) or the given one. */
  public static LoopbackUpstreams start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    LoopbackUpstreams upstreams = new LoopbackUpstreams(server);
    server.createContext("/", upstreams::answer);
    server.start();
    return upstreams;
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] request = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    if (path.startsWith("/dynamodb")) {
      String operation = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target"))
          .map(target -> target.substring(target.indexOf('.') + 1)).orElse("");
      awsOperations.add("DynamoDB " + operation);
      DynamoDbAnswer answer = dynamoDb(operation, Jackson.parse(request));
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      exchange.getResponseHeaders().set("x-amzn-RequestId", FAKE_KEY);
      // DynamoDB signs every answer's body this way, and the SDK checks it: priming takes that path too.
      CRC32 crc = new CRC32();
      crc.update(answer.body());
      exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
      send(exchange, answer.status(), answer.body());
    } else if (path.startsWith("/secretsmanager")) {
      String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
      awsOperations.add("Secrets Manager " + target.substring(target.indexOf('.') + 1));
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.getResponseHeaders().set("x-amzn-RequestId", FAKE_KEY);
      send(exchange, 200, secretValue(Jackson.parse(request).path("SecretId").asText()));
    } else if (path.startsWith("/lambda")) {
      awsOperations.add(path.endsWith("/invocations") ? "Lambda Invoke" : "Lambda " + path);
      exchange.getResponseHeaders().set("x-amzn-RequestId", FAKE_KEY);
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    } else if (path.startsWith("/discord")) {
      if ("PATCH".equals(exchange.getRequestMethod())) {
        lastEdit = Jackson.parse(request).path("content").asText();
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      send(exchange, 200, DISCORD_MESSAGE);
    } else if (path.startsWith(SITE)) {
      siteRequests.incrementAndGet();
      site(exchange, path);
    } else if (path.startsWith(STORAGE)) {
      exchange.getResponseHeaders().set("Content-Type", "application/zip");
      send(exchange, 200, summaryZip);
    } else {
      github(exchange, path);
    }
  }

  /**
   * GitHub's Actions API as a repository with one deploy run, {@link #RUN_ID}, completed with success: a dispatch
   * names it at once (as with {@code return_run_details}), a read of any run by id finds it completed, its one job
   * succeeded, and it left a {@code diagnose-summary} artifact whose download redirects to storage on this stand-in.
   * No repository variable is set (404), so the deploy targets come from the environment. Every other request (a
   * workflow's runs, the repository's runs) gets {@link #runsPage()}.
   * Shapes: https://docs.github.com/en/rest/actions/workflow-runs and https://docs.github.com/en/rest/actions/artifacts
   */
  private void github(HttpExchange exchange, String path) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (path.endsWith("/dispatches") && "POST".equals(exchange.getRequestMethod())) {
      dispatches.incrementAndGet();
      send(exchange, 200, Jackson.bytes(Jackson.object().put("workflow_run_id", RUN_ID)
          .put("run_url", "https://api.github.com/repos/octo-org/deploy-service/actions/runs/" + RUN_ID)
          .put("html_url", RUN_PAGE + RUN_ID)));
    } else if (path.contains("/actions/variables/")) {
      send(exchange, 404, Jackson.bytes(Jackson.object().put("message", "Not Found")
          .put("documentation_url", "https://docs.github.com/rest/actions/variables#get-a-repository-variable")));
    } else if (path.matches(".*/actions/runs/[0-9]+")) {
      send(exchange, 200, Jackson.bytes(completedRun(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)))));
    } else if (path.matches(".*/actions/runs/[0-9]+/jobs")) {
      ObjectNode page = Jackson.object().put("total_count", 1);
      page.putArray("jobs").addObject().put("id", 1).put("run_id", RUN_ID).put("name", "deploy").put("status", "completed")
          .put("conclusion", "success").put("html_url", RUN_PAGE + RUN_ID + "/job/1")
          .put("started_at", Instant.now().minusSeconds(90).toString()).put("completed_at", Instant.now().toString())
          .putArray("steps");
      send(exchange, 200, Jackson.bytes(page));
    } else if (path.matches(".*/actions/runs/[0-9]+/artifacts")) {
      ObjectNode page = Jackson.object().put("total_count", 1);
      page.putArray("artifacts").addObject().put("id", ARTIFACT_ID).put("name", "diagnose-summary")
          .put("size_in_bytes", summaryZip.length).put("expired", false)
          .put("archive_download_url", githubBase() + "/repos/octo-org/deploy-service/actions/artifacts/" + ARTIFACT_ID + "/zip");
      send(exchange, 200, Jackson.bytes(page));
    } else if (path.endsWith("/actions/artifacts/" + ARTIFACT_ID + "/zip")) {
      // As GitHub does: a redirect to short-lived storage, fetched without the token.
      exchange.getResponseHeaders().set("Location", base() + STORAGE + "/" + ARTIFACT_ID + ".zip");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    } else {
      send(exchange, 200, runsPage());
    }
  }

  /** The deployed frontend (an entry page that is never cached) and, under {@code /api}, the API: both up. */
  private static void site(HttpExchange exchange, String path) throws IOException {
    if (path.startsWith(SITE + "/api/")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      send(exchange, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
    } else {
      exchange.getResponseHeaders().set("Content-Type", "text/html");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      send(exchange, 200, "<!doctype html><title>priming</title>".getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The {@code summary.json} a diagnose run leaves, zipped as upload-artifact zips it: one check that passed, whose
   * detail ({@link #SUMMARY_DETAIL}) shows in the last edit of a {@code /diagnose} that read it.
   */
  private static byte[] summaryZip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("summary.json"));
      zip.write(("{\"checks\":[{\"name\":\"loopback\",\"ok\":true,\"detail\":\"" + SUMMARY_DETAIL + "\"}]}")
          .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static ObjectNode completedRun(long id) {
    Instant started = Instant.now().minusSeconds(120);
    return Jackson.object().put("id", id).put("name", "Deploy").put("run_number", 413).put("display_title", "Release 413")
        .put("status", "completed").put("conclusion", "success").put("html_url", RUN_PAGE + id).put("head_branch", "main")
        .put("event", "workflow_dispatch").put("created_at", started.toString()).put("run_started_at", started.toString())
        .put("updated_at", started.plusSeconds(95).toString());
  }

  private record DynamoDbAnswer(int status, byte[] body) {
    static DynamoDbAnswer ok(String json) {
      return new DynamoDbAnswer(200, json.getBytes(StandardCharsets.UTF_8));
    }

    static DynamoDbAnswer error(String type, String message) {
      return new DynamoDbAnswer(400, ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** As DynamoDB answers an empty table: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations.html */
  private DynamoDbAnswer dynamoDb(String operation, JsonNode request) {
    String pk = request.path("Item").path("pk").path("S").asText(request.path("Key").path("pk").path("S").asText());
    boolean alertWindow = pk.startsWith("alert#");
    return switch (operation) {
      case "GetItem" -> DynamoDbAnswer.ok("{}");
      case "Query" -> DynamoDbAnswer.ok("{\"Count\":0,\"Items\":[],\"ScannedCount\":0}");
      // An open alert window: the dedup's conditional open is refused, and its count (UpdateItem) runs. A
      // claim is taken once.
      case "PutItem" -> request.has("ConditionExpression") && (alertWindow || !claimed.add(pk))
          ? DynamoDbAnswer.error("ConditionalCheckFailedException", "The conditional request failed")
          : DynamoDbAnswer.ok("{}");
      // A job starts afresh (no old item) and is renewed and finished as its own.
      case "UpdateItem" -> alertWindow ? DynamoDbAnswer.ok("{\"Attributes\":{\"suppressed\":{\"N\":\"1\"}}}") : DynamoDbAnswer.ok("{}");
      default -> DynamoDbAnswer.error("UnknownOperationException", "not answered by the loopback stand-in");
    };
  }

  /**
   * As {@code GetSecretValue} answers (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html),
   * with tokens that say what they are: no upstream would take them, and the stand-ins check none.
   */
  private static byte[] secretValue(String secretId) {
    ObjectNode tokens = Jackson.object().put("botToken", FAKE_KEY + "-bot-token").put("githubToken", FAKE_KEY + "-github-token");
    return Jackson.bytes(Jackson.object().put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + secretId + "-AbCdEf")
        .put("Name", secretId).put("VersionId", FAKE_KEY).put("SecretString", Jackson.text(tokens))
        .set("VersionStages", Jackson.array().add("AWSCURRENT")));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private String base() {
    return "http://127.0.0.1:" + port();
  }

  /** The base URL to use as {@code GITHUB_API_BASE}. */
  public String githubBase() {
    return base() + "/github";
  }

  /** The deployed frontend, to use as {@code FRONTEND_BASE_URL} (reachable only with {@code ALLOW_PRIVATE_TARGETS}, dev). */
  public String frontendBase() {
    return base() + SITE + "/";
  }

  /** The deployed API, to use as {@code API_BASE_URL}. */
  public String apiBase() {
    return base() + SITE + "/api";
  }

  /** How many workflow dispatches the GitHub stand-in has accepted. */
  public int dispatches() {
    return dispatches.get();
  }

  /** How many requests the frontend and API stand-ins have answered. */
  public int siteRequests() {
    return siteRequests.get();
  }

  /** The content of the last edit of a deferred reply the Discord stand-in took, or "" before any. */
  public String lastEdit() {
    return lastEdit;
  }

  /** The base URL to use as {@code DISCORD_API_BASE}. */
  public String discordBase() {
    return "http://127.0.0.1:" + port() + "/discord";
  }

  /**
   * An AWS environment whose DynamoDB, Lambda and Secrets Manager are these stand-ins, with fake keys, and whose
   * Lambda function is {@code functionName} version 1.
   */
  public Map<String, String> awsEnvironment(String region, String functionName) {
    String base = "http://127.0.0.1:" + port();
    return Map.of(
        "AWS_REGION", region,
        "AWS_ENDPOINT_URL_DYNAMODB", base + "/dynamodb",
        "AWS_ENDPOINT_URL_LAMBDA", base + "/lambda",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", base + "/secretsmanager",
        "AWS_ACCESS_KEY_ID", FAKE_KEY,
        "AWS_SECRET_ACCESS_KEY", FAKE_KEY,
        "AWS_LAMBDA_FUNCTION_NAME", functionName,
        "AWS_LAMBDA_FUNCTION_VERSION", "1");
  }

  /** How many requests it has answered. */
  public int requests() {
    return requests.get();
  }

  /** The AWS operations it has answered, such as {@code DynamoDB PutItem} and {@code Lambda Invoke}, sorted. */
  public Set<String> awsOperations() {
    return new TreeSet<>(awsOperations);
  }

  /** Three runs of a "Deploy" workflow: a success, a failure and one in progress. */
  public static byte[] runsPage() {
    ObjectNode page = Jackson.object().put("total_count", 3);
    ArrayNode runs = page.putArray("workflow_runs");
    Instant now = Instant.now();
    String[][] states = {{"completed", "success"}, {"completed", "failure"}, {"in_progress", null}};
    for (int i = 0; i < states.length; i++) {
      Instant started = now.minus(Duration.ofMinutes(10L * (i + 1)));
      ObjectNode run = runs.addObject().put("id", 9_000_000_000L + i).put("name", "Deploy").put("run_number", 412 - i)
          .put("display_title", "Release " + (412 - i)).put("status", states[i][0])
          .put("html_url", "https://github.com/octo-org/deploy-service/actions/runs/" + (9_000_000_000L + i))
          .put("head_branch", "main").put("event", "push").put("created_at", started.toString())
          .put("run_started_at", started.toString()).put("updated_at", started.plusSeconds(95).toString());
      if (states[i][1] == null) {
        run.putNull("conclusion");
      } else {
        run.put("conclusion", states[i][1]);
      }
    }
    return Jackson.bytes(page);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
