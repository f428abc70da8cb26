package dev.valine.orchestrator.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** The Lambda Context, the one thing in the request path with no cheap real form. */
public final class FakeLambdaContext implements Context {
  private final String requestId;
  private final String xrayTraceId;

  public FakeLambdaContext() {
    this("8f5e7c1a-0000-4000-8000-000000000001", null);
  }

  /**
   * @param xrayTraceId the X-Ray trace header the runtime would pass, or null outside X-Ray
   */
  public FakeLambdaContext(String requestId, String xrayTraceId) {
    this.requestId = requestId;
    this.xrayTraceId = xrayTraceId;
  }

  @Override public String getXrayTraceId() { return xrayTraceId; }
  @Override public String getAwsRequestId() { return requestId; }
  @Override public String getLogGroupName() { return "/aws/lambda/valine-orchestrator-test"; }
  @Override public String getLogStreamName() { return "2026/11/28/[$LATEST]test"; }
  @Override public String getFunctionName() { return "valine-orchestrator-test"; }
  @Override public String getFunctionVersion() { return "$LATEST"; }
  @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:000000000000:function:valine-orchestrator-test"; }
  @Override public CognitoIdentity getIdentity() { return null; }
  @Override public ClientContext getClientContext() { return null; }
  @Override public int getRemainingTimeInMillis() { return 10_000; }
  @Override public int getMemoryLimitInMB() { return 1024; }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override public void log(String message) { System.out.print(message); }
      @Override public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
    };
  }
}
