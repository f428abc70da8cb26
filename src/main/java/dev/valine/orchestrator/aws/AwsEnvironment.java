package dev.valine.orchestrator.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom to call AWS, from the Lambda runtime's environment (or a developer's): the region,
 * the credentials ({@link SdkCredentials}), and the standard per-service endpoint override. Read
 * explicitly rather than through the SDK's default provider chains, which probe profile files and
 * instance metadata at cold start. Holds no SDK type, so building it loads no SDK class.
 */
public final class AwsEnvironment {
  private final Map<String, String> env;

  public AwsEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** {@code AWS_REGION} (set by Lambda), else {@code AWS_DEFAULT_REGION}, else us-east-1. */
  public String region() {
    return get("AWS_REGION").or(() -> get("AWS_DEFAULT_REGION")).orElse("us-east-1");
  }

  /** One variable of the environment, if set and not blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
  }

  /**
   * The standard endpoint override for one service: {@code AWS_ENDPOINT_URL_<SERVICE>} (for example
   * {@code AWS_ENDPOINT_URL_DYNAMODB}), else {@code AWS_ENDPOINT_URL}; for local servers and tests.
   */
  public Optional<URI> endpointOverride(String service) {
    return Optional.ofNullable(env.get("AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT)))
        .or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL")))
        .filter(url -> !url.isBlank())
        .map(URI::create);
  }
}
