package dev.valine.orchestrator.testing;

import dev.valine.orchestrator.LoopbackUpstreams;
import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.deferral.LambdaAsyncInvoker;
import dev.valine.orchestrator.state.DynamoAlertDeduplicator;
import dev.valine.orchestrator.state.DynamoClaimStore;
import dev.valine.orchestrator.state.DynamoTraceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Loads the AWS SDK's request pipeline into the test JVM before a class whose tests hold AWS calls to the
 * production limits: {@code @ExtendWith(WarmAwsSdk.class)}. A fresh JVM's first SDK calls spend most of
 * the reply path's 500 ms loading classes; production loads them before the SnapStart snapshot
 * (SnapStartPriming), and these tests should meet the timeouts, not the class loader. The calls go,
 * with time to spare, to the loopback stand-ins priming uses.
 */
public final class WarmAwsSdk implements BeforeAllCallback {
  private static final CallLimits TIME_TO_SPARE = new CallLimits(Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    try (LoopbackUpstreams standIns = LoopbackUpstreams.start(0)) {
      AwsEnvironment aws = new AwsEnvironment(standIns.awsEnvironment("eu-west-1", "warm-up"));
      try (DynamoDbClient dynamo = AwsClients.dynamoDb(aws, TIME_TO_SPARE); LambdaClient lambda = AwsClients.lambda(aws, TIME_TO_SPARE)) {
        DynamoTraceStore traces = new DynamoTraceStore(() -> dynamo, "warm-up", Duration.ofDays(1), Clock.systemUTC());
        traces.prepare();
        traces.newestFor("warm-up");
        new DynamoAlertDeduplicator(() -> dynamo, "warm-up", Duration.ofMinutes(1), Clock.systemUTC()).decide("warm-up");
        DynamoClaimStore claims = new DynamoClaimStore(() -> dynamo, "warm-up", Clock.systemUTC());
        Instant later = Instant.now().plus(Duration.ofMinutes(1));
        claims.claim("claim#warm-up", "warm-up", later);
        claims.begin("job#warm-up", "warm-up", later, later);
        claims.record("job#warm-up", "warm-up", "warm_up", "1", later);
        claims.finish("job#warm-up", "warm-up");
        new LambdaAsyncInvoker(lambda).invokeAsync("warm-up", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
