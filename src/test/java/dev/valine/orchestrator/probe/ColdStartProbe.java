package dev.valine.orchestrator.probe;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, as Lambda does it: load the handler class by name, construct it (configuration from
 * the environment), hand it one API Gateway event, and print when the response was ready (epoch
 * milliseconds), the status code, and the process's peak RSS. {@code bench/coldstart.sh} runs it in fresh
 * JVMs and subtracts the moment it started each process.
 *
 * <p>Usage: {@code java -cp jar:probe.jar dev.valine.orchestrator.probe.ColdStartProbe <handler class> <event file> <expected>}:
 * the run fails unless the response body contains {@code expected} (or one of its {@code |}-separated
 * alternatives), so a fast error is never reported as a fast answer. The line also names the interaction
 * response's type ({@code reply_type}: 1 a PONG, 4 an inline answer, 5 deferred; -1 when the body is none of these),
 * so that a script can tell an inline first {@code /status} from one that ran past its budget.
 */
public final class ColdStartProbe {
  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), response, new FakeLambdaContext());
    long respondedAt = System.currentTimeMillis();
    String body = response.toString(StandardCharsets.UTF_8);
    boolean expected = body.contains("\"statusCode\":200") && java.util.Arrays.stream(args[2].split("\\|")).anyMatch(body::contains);
    int status = expected ? 200 : -1;
    if (!expected) {
      System.err.println("PROBE unexpected response: " + body);
    }
    System.out.println("PROBE responded_at_ms=" + respondedAt + " status=" + status + " peak_rss_kib=" + peakRssKib()
        + " body_bytes=" + body.length() + " reply_type=" + replyType(body));
    System.out.flush();
    // Background threads (HTTP client pools) must not keep the probe alive.
    System.exit(status == 200 ? 0 : 1);
  }

  /** The {@code type} of the Discord interaction response inside the API Gateway response, or -1. */
  private static int replyType(String response) {
    try {
      return Jackson.parse(Jackson.parse(response).path("body").asText()).path("type").asInt(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** VmHWM from /proc/self/status: the most resident memory the process has had, in KiB. */
  private static long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // not Linux: report nothing
    }
    return -1;
  }
}
