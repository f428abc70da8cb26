package dev.valine.orchestrator;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** The Lambda context of SnapStart priming requests, which the runtime did not send. */
final class PrimingContext implements Context {
  static final PrimingContext INSTANCE = new PrimingContext();

  private PrimingContext() {}

  @Override
  public String getAwsRequestId() {
    return "snapstart-priming";
  }

  @Override
  public String getLogGroupName() {
    return System.getenv().getOrDefault("AWS_LAMBDA_LOG_GROUP_NAME", "");
  }

  @Override
  public String getLogStreamName() {
    return System.getenv().getOrDefault("AWS_LAMBDA_LOG_STREAM_NAME", "");
  }

  @Override
  public String getFunctionName() {
    return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "valine-orchestrator");
  }

  @Override
  public String getFunctionVersion() {
    return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
  }

  @Override
  public String getInvokedFunctionArn() {
    return "";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return 60_000;
  }

  @Override
  public int getMemoryLimitInMB() {
    return Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0"));
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        System.out.print(message);
      }

      @Override
      public void log(byte[] message) {
        System.out.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
