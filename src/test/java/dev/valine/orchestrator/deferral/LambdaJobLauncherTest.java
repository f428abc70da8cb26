package dev.valine.orchestrator.deferral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.JobLaunchException;
import dev.valine.orchestrator.discord.SignedInteraction;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.testing.FakeAws;
import dev.valine.orchestrator.testing.WarmAwsSdk;
import dev.valine.orchestrator.util.Lazy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** The real SDK client against a loopback server standing in for the Lambda API. */
@ExtendWith(WarmAwsSdk.class)
class LambdaJobLauncherTest {
  private static final DeferredJob JOB = new DeferredJob("trace-1",
      new SignedInteraction("{\"type\":2}".getBytes(StandardCharsets.UTF_8), "ab".repeat(64), "1764309600"),
      Instant.ofEpochMilli(1764309600123L), Instant.ofEpochMilli(1764309602125L));

  private final MockWebServer lambdaApi = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    lambdaApi.start();
  }

  @AfterEach
  void stop() {
    lambdaApi.close();
  }

  private LambdaJobLauncher launcher() {
    return launcher(Optional.of("7"));
  }

  private LambdaJobLauncher launcher(Optional<String> qualifier) {
    return new LambdaJobLauncher(() -> LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(FakeAws.lambdaEnvironment(lambdaApi))),
        "valine-orchestrator-dev", qualifier);
  }

  @Test
  void namesAnUnpublishedFunctionsVersionAsLambdaReadsIt() throws Exception {
    lambdaApi.enqueue(new MockResponse.Builder().code(202).build());

    launcher(Optional.of("$LATEST")).launch(JOB);

    RecordedRequest request = lambdaApi.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("Qualifier=%24LATEST", request.getUrl().encodedQuery(), "encoded once, not twice");
  }

  @Test
  void sendsTheJobAsAnAsynchronousInvocationOfTheRunningVersion() throws Exception {
    lambdaApi.enqueue(new MockResponse.Builder().code(202).build());

    launcher().launch(JOB);

    RecordedRequest request = lambdaApi.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("POST", request.getMethod());
    assertEquals("/2015-03-31/functions/valine-orchestrator-dev/invocations", request.getUrl().encodedPath());
    assertEquals("7", request.getUrl().queryParameter("Qualifier"));
    assertEquals("Event", request.getHeaders().get("X-Amz-Invocation-Type"));
    assertTrue(request.getHeaders().get("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKE"),
        "signed with the runtime's credentials");
    assertTrue(request.getHeaders().get("Authorization").contains("/eu-west-1/lambda/aws4_request"), "for Lambda in the runtime's region");
    assertEquals("fake-session-token", request.getHeaders().get("X-Amz-Security-Token"));
    assertEquals(JOB, JobEvents.decode(Jackson.parse(request.getBody().toByteArray())));
  }

  @Test
  void reportsThrottlingAsAFailedLaunch() {
    // Throttling is retried by the SDK within its call timeout; every answer here is a refusal.
    for (int i = 0; i < 5; i++) {
      lambdaApi.enqueue(new MockResponse.Builder().code(429).addHeader("x-amzn-ErrorType", "TooManyRequestsException")
          .body("{\"message\":\"Rate exceeded\",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}").build());
    }

    JobLaunchException error = assertThrows(JobLaunchException.class, () -> launcher().launch(JOB));

    assertEquals("asynchronous invocation of valine-orchestrator-dev failed: lambda answered HTTP 429 TooManyRequestsException: "
        + "Rate exceeded", error.getMessage(), "throttling retried inside the call, and named when it persists");
    assertEquals(LambdaAsyncInvoker.LIMITS.attempts(), lambdaApi.getRequestCount());
  }

  @Test
  void reportsMissingPermissionAsAFailedLaunch() {
    lambdaApi.enqueue(new MockResponse.Builder().code(403).addHeader("x-amzn-ErrorType", "AccessDeniedException")
        .body("{\"Message\":\"not authorized to perform: lambda:InvokeFunction\"}").build());

    JobLaunchException error = assertThrows(JobLaunchException.class, () -> launcher().launch(JOB));

    assertTrue(error.getMessage().contains("lambda:InvokeFunction"), error.getMessage());
  }

  @Test
  void reportsALambdaThatNeverAnswersAsAFailedLaunchWithinTheInvokesCallTimeout() {
    for (int i = 0; i < LambdaAsyncInvoker.LIMITS.attempts(); i++) {
      lambdaApi.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    }

    JobLaunchException error = assertThrows(JobLaunchException.class, () -> launcher().launch(JOB));

    assertTrue(error.getCause() instanceof ApiCallTimeoutException, String.valueOf(error.getCause()));
    assertTrue(error.getMessage().startsWith("asynchronous invocation of valine-orchestrator-dev failed"), error.getMessage());
  }

  @Test
  void prepareBuildsTheClientOnceAndInvokesNothing() throws Exception {
    AtomicInteger built = new AtomicInteger();
    LambdaJobLauncher launcher = new LambdaJobLauncher(new Lazy<>(() -> {
      built.incrementAndGet();
      return LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(FakeAws.lambdaEnvironment(lambdaApi)));
    }), "valine-orchestrator-dev", Optional.of("7"));
    lambdaApi.enqueue(new MockResponse.Builder().code(202).build());

    launcher.prepare();
    launcher.prepare();
    int requestsBeforeLaunch = lambdaApi.getRequestCount();
    launcher.launch(JOB);

    assertEquals(1, built.get());
    assertEquals(0, requestsBeforeLaunch, "preparing calls no Lambda API");
    assertEquals(1, lambdaApi.getRequestCount());
  }

  @Test
  void failsWhenLambdaDoesNotAcceptTheEvent() {
    lambdaApi.enqueue(new MockResponse.Builder().code(200).body("{}").build());

    JobLaunchException error = assertThrows(JobLaunchException.class, () -> launcher().launch(JOB));

    assertTrue(error.getMessage().contains("instead of 202 Accepted"), error.getMessage());
  }
}
