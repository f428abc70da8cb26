package dev.valine.orchestrator;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.valine.orchestrator.config.LambdaEnvironment;
import java.nio.charset.StandardCharsets;

/** The Lambda context of SnapStart priming requests, which the runtime did not send: this function's own. */
final class PrimingContext implements Context {
  private final LambdaEnvironment lambda;

  PrimingContext(LambdaEnvironment lambda) {
    this.lambda = lambda;
  }

  @Override
  public String getAwsRequestId() {
    return "snapstart-priming";
  }

  @Override
  public String getLogGroupName() {
    return lambda.logGroup().orElse("");
  }

  @Override
  public String getLogStreamName() {
    return lambda.logStream().orElse("");
  }

  @Override
  public String getFunctionName() {
    return lambda.functionName().orElse("valine-orchestrator");
  }

  @Override
  public String getFunctionVersion() {
    return lambda.functionVersion().orElse("$LATEST");
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
    return lambda.memoryMb();
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
