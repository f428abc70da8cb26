package dev.valine.orchestrator.deferral;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.JobLaunchException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@link AsyncInvoker} on the SDK's {@link LambdaClient}: {@code Invoke} with {@code InvocationType=Event},
 * which Lambda answers with 202 as soon as it has queued the event. See
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
public final class LambdaAsyncInvoker implements AsyncInvoker, AutoCloseable {
  // The inline half defers at 2 s and must answer by 2.8 s: an invoke not queued in 600 ms has failed.
  static final CallLimits LIMITS = new CallLimits(Duration.ofMillis(600), Duration.ofMillis(500), 2);

  private final LambdaClient lambda;

  public LambdaAsyncInvoker(LambdaClient lambda) {
    this.lambda = lambda;
  }

  /** For the Lambda runtime: its region and credentials, and {@code AWS_ENDPOINT_URL_LAMBDA} if set. */
  public static LambdaAsyncInvoker fromEnvironment(AwsEnvironment aws) {
    return fromEnvironment(aws, LIMITS);
  }

  /** With other limits than the inline half's: for SnapStart priming, which loads classes and keeps no deadline. */
  public static LambdaAsyncInvoker fromEnvironment(AwsEnvironment aws, CallLimits limits) {
    return new LambdaAsyncInvoker(AwsClients.lambda(aws, limits));
  }

  /**
   * Resolves the client's credentials: under SnapStart that is a call to the local container
   * credentials endpoint, which the deferral's budget should not pay. Invokes nothing.
   */
  @Override
  public void prepare() {
    try {
      lambda.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
    } catch (RuntimeException e) {
      // The invoke resolves them again and reports the failure as a failed launch.
    }
  }

  /** Closes the client with its timeout threads; the app's invoker lives as long as the container and is never closed. */
  @Override
  public void close() {
    lambda.close();
  }

  @Override
  public void invokeAsync(String functionName, Optional<String> qualifier, byte[] payload) throws JobLaunchException {
    InvokeResponse response;
    try {
      response = lambda.invoke(invoke -> invoke
          .functionName(functionName)
          .qualifier(qualifier.orElse(null))
          .invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromByteArrayUnsafe(payload)));
    } catch (AwsServiceException e) {
      throw new JobLaunchException("asynchronous invocation of " + functionName + " failed: lambda answered HTTP " + e.statusCode()
          + " " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage(), e);
    } catch (SdkException e) {
      throw new JobLaunchException("asynchronous invocation of " + functionName + " failed: " + e.getMessage(), e);
    }
    if (response.statusCode() == null || response.statusCode() != 202) {
      // A synchronous answer: whatever ran, it was not queued as the job we meant to hand off.
      throw new JobLaunchException("asynchronous invocation of " + functionName + " answered HTTP " + response.statusCode()
          + " instead of 202 Accepted");
    }
  }
}
