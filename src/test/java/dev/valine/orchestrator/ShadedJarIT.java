package dev.valine.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.deferral.JobEvents;
import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeAws;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar as users and Lambda will: {@code serve}, {@code invoke}, and the Lambda handler
 * loaded from the jar. Catches what unit tests cannot: a class the shade filter dropped, a wrong
 * Main-Class, a missing service file.
 */
class ShadedJarIT {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir
  Path workDir;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("shadedJar", "target/valine-orchestrator.jar"));
    assertTrue(Files.exists(jar), "run mvn package first: " + jar);
    return jar.toAbsolutePath();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private record Result(int exitCode, String output) {}

  private Result runJar(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jar did not finish: " + command);
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void serveAnswersHealthAndSignedPingFromInvoke() throws Exception {
    Process serve = new ProcessBuilder(java(), "-jar", jar().toString(), "serve", "--port", "0")
        .directory(workDir.toFile()).redirectErrorStream(true).start();
    try {
      String baseUrl = awaitListening(serve);

      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      Result ping = runJar(List.of("invoke", "--url", baseUrl + "/interactions", "ping"));

      assertEquals(200, health.statusCode());
      assertEquals("ok", Jackson.parse(health.body()).path("status").asText());
      assertEquals(0, ping.exitCode(), ping.output());
      assertTrue(ping.output().startsWith("HTTP 200"), ping.output());
      assertTrue(Files.exists(workDir.resolve(".valine/dev-signing-key")), "serve names and keeps the dev key");
    } finally {
      serve.destroy();
      serve.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String runHandlerProbe(String... jvmFlags) throws Exception {
    Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
    String classpath = jar() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of(jvmFlags));
    command.addAll(List.of("-cp", classpath, "dev.valine.orchestrator.probe.HandlerProbe"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().put("DISCORD_PUBLIC_KEY", keys.publicKeyHex());
    builder.environment().put("VALINE_SIGNING_KEY", keys.privateKeyHex());
    builder.environment().put("ENABLE_JSON_LOGGING", "true");
    // As in Lambda with active tracing: X-Ray is configured, and still must not load for a PING.
    builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "valine-orchestrator-probe");
    builder.environment().put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000");
    // As deployed: shared state configured, and still not touched by a PING.
    builder.environment().put("TRACE_TABLE_NAME", "valine-orchestrator-probe-state");
    Process probe = builder.start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, probe.exitValue(), output);
    return output;
  }

  private String runLaunchProbe(MockWebServer lambdaApi) throws Exception {
    String classpath = jar() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder(java(), "-cp", classpath, "dev.valine.orchestrator.probe.LaunchProbe")
        .directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(FakeAws.lambdaEnvironment(lambdaApi));
    Process probe = builder.start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, probe.exitValue(), output);
    return output;
  }

  @Test
  void lambdaInvokeFromTheJarQueuesTheJob() throws Exception {
    try (MockWebServer lambdaApi = new MockWebServer()) {
      lambdaApi.enqueue(new MockResponse.Builder().code(202).build());
      lambdaApi.start();

      String output = runLaunchProbe(lambdaApi);

      assertTrue(output.contains("launched"), output);
      RecordedRequest request = lambdaApi.takeRequest(5, TimeUnit.SECONDS);
      assertEquals("/2015-03-31/functions/valine-orchestrator-dev/invocations", request.getUrl().encodedPath());
      assertEquals("probe-trace", JobEvents.decode(Jackson.parse(request.getBody().toByteArray())).traceId());
    }
  }

  @Test
  void lambdaInvokeFromTheJarReportsLambdasError() throws Exception {
    try (MockWebServer lambdaApi = new MockWebServer()) {
      lambdaApi.setDispatcher(new mockwebserver3.Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(404).addHeader("x-amzn-ErrorType", "ResourceNotFoundException")
              .body("{\"Type\":\"User\",\"message\":\"Function not found: valine-orchestrator-dev:7\"}").build();
        }
      });
      lambdaApi.start();

      String output = runLaunchProbe(lambdaApi);

      assertTrue(output.contains("refused: asynchronous invocation of valine-orchestrator-dev failed: lambda answered HTTP 404 "
          + "ResourceNotFoundException: Function not found: valine-orchestrator-dev:7"), output);
    }
  }

  /** SnapStart priming from the jar: both AWS SDK clients run against the loopback stand-ins, and the app's own are built. */
  @Test
  void primingFromTheJarExercisesBothAwsClients() throws Exception {
    String classpath = jar() + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
    Process probe = new ProcessBuilder(java(), "-cp", classpath, "dev.valine.orchestrator.probe.AfterPrimingProbe")
        .directory(workDir.toFile()).redirectErrorStream(true).start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS));

    assertEquals(0, probe.exitValue(), output);
    assertTrue(output.contains("lambda_clients_built_after_priming=0"), output);
    assertTrue(output.contains("app_table_calls_in_priming=1"), "the app's DynamoDB client built and read once: " + output);
  }

  @Test
  void pingBuildsNeitherXRayNorTheHttpClient() throws Exception {
    String classLoading = runHandlerProbe("-Xlog:class+load=info");

    assertTrue(classLoading.contains("dev.valine.orchestrator.InteractionHandler"), "the log lists loaded classes");
    assertFalse(classLoading.contains("com.amazonaws.xray."), "X-Ray loaded on the PING path");
    // The AWS calls (deferral, shared state: the SDK signer) are prepared when a command starts, never for a PING.
    assertFalse(classLoading.contains(" software.amazon.awssdk."), "AWS SDK loaded on the PING path");
    // The verifier may load the OkHttpClient class itself; what costs (~100 ms) is building one: the
    // builder, OkHttp's internals with the TLS trust store, and the Kotlin runtime under them.
    assertFalse(classLoading.contains("okhttp3.OkHttpClient$Builder"), "OkHttp client built on the PING path");
    assertFalse(classLoading.contains(" okhttp3.internal."), "OkHttp internals loaded on the PING path");
    assertFalse(classLoading.contains(" kotlin."), "Kotlin runtime loaded on the PING path");
    // Logging and the one ObjectMapper do start on a PING: plain static loggers start logback with the handler
    // class, and the mapper reads every event. SnapStart priming pays both before the snapshot.
  }

  @Test
  void lambdaHandlerFromTheJarAnswersSignedPing() throws Exception {
    String output = runHandlerProbe();

    String lastLine = output.strip().lines().reduce((first, second) -> second).orElse("");
    JsonNode response = Jackson.parse(lastLine);
    assertEquals(200, response.path("statusCode").asInt(), output);
    assertEquals("{\"type\":1}", response.path("body").asText());
  }

  @Test
  void jarPrintsHelpAndRejectsUnknownFlagsWithExitCode2() throws Exception {
    Result help = runJar(List.of("--help"));
    Result unknown = runJar(List.of("keygen", "--bogus"));

    assertEquals(0, help.exitCode());
    assertTrue(help.output().contains("usage: java -jar valine-orchestrator.jar"));
    assertEquals(2, unknown.exitCode());
    assertEquals("error: keygen: unknown option --bogus (see keygen --help)", unknown.output().strip());
  }

  private static String awaitListening(Process serve) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        // Keep draining the server's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> lines.lines().forEach(ignored -> { }));
        drain.setDaemon(true);
        drain.start();
        return matcher.group(1);
      }
    }
    throw new AssertionError("serve did not report its address:\n" + seen);
  }
}
