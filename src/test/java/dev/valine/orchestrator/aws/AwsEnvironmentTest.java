package dev.valine.orchestrator.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsEnvironmentTest {
  @Test
  void takesTheRegionLambdaSetsBeforeTheDefaultOne() {
    assertEquals(Optional.of("eu-west-1"), new AwsEnvironment(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-west-2")).region());
    assertEquals(Optional.of("us-west-2"), new AwsEnvironment(Map.of("AWS_DEFAULT_REGION", "us-west-2")).region());
    assertEquals(Optional.empty(), new AwsEnvironment(Map.of("AWS_REGION", " ")).region(), "blank is unset");
  }

  @Test
  void prefersTheServicesOwnEndpointOverrideToTheGeneralOne() {
    AwsEnvironment aws = new AwsEnvironment(Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000",
        "AWS_ENDPOINT_URL", "http://127.0.0.1:4566"));

    assertEquals(Optional.of(URI.create("http://127.0.0.1:8000")), aws.endpointOverride("dynamodb"));
    assertEquals(Optional.of(URI.create("http://127.0.0.1:4566")), aws.endpointOverride("lambda"));
    assertEquals(Optional.empty(), new AwsEnvironment(Map.of()).endpointOverride("lambda"), "AWS's own endpoint");
  }
}
