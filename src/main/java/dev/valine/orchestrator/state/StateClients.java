package dev.valine.orchestrator.state;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB clients of shared state. The reply path's stores a trace between a command's result and
 * its reply and reads one for {@code /debug-last}, so a slow DynamoDB may cost a reply at most its call
 * timeout before this container's memory answers instead. The dispatcher writes to the table only while
 * that timeout still fits before Discord's deadline.
 */
public final class StateClients {
  /** 500 ms per call, retries and back-off included; 250 ms per attempt; 3 attempts at most. */
  public static final CallLimits REPLY_PATH = new CallLimits(Duration.ofMillis(500), Duration.ofMillis(250), 3);
  /** For table management in {@code serve}, which is off the reply path. */
  static final CallLimits ADMIN = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(3), 3);

  private StateClients() {}

  /**
   * Builds a client when asked; wrap it in a {@code Lazy}. A class rather than a lambda on purpose: linking
   * a lambda whose type names {@code DynamoDbClient} loads the SDK, and the app wires this at cold start,
   * before any PING.
   */
  public static final class Factory implements Supplier<DynamoDbClient> {
    private final AwsEnvironment aws;
    private final CallLimits limits;

    /** @param limits {@link #REPLY_PATH} for the app's stores */
    public Factory(AwsEnvironment aws, CallLimits limits) {
      this.aws = aws;
      this.limits = limits;
    }

    @Override
    public DynamoDbClient get() {
      return AwsClients.dynamoDb(aws, limits);
    }
  }
}
