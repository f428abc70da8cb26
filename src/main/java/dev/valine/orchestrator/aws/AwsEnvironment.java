package dev.valine.orchestrator.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as whom to call AWS, as one environment describes it: the region, the keys if it holds any
 * ({@link SdkCredentials}), the standard per-service endpoint overrides. The app passes the process
 * environment; tests and SnapStart priming pass maps of their own, which then decide all of it. Reads
 * only the map it is given and holds no SDK type, so building one loads no SDK class.
 */
public final class AwsEnvironment {
  private final Map<String, String> env;

  public AwsEnvironment(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** {@code AWS_REGION} (Lambda sets it), else {@code AWS_DEFAULT_REGION}; empty if neither is set. */
  public Optional<String> region() {
    return get("AWS_REGION").or(() -> get("AWS_DEFAULT_REGION"));
  }

  /** One variable of the environment, if set and not blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
  }

  /**
   * The standard endpoint override for one service: {@code AWS_ENDPOINT_URL_<SERVICE>} (for example
   * {@code AWS_ENDPOINT_URL_DYNAMODB}), else {@code AWS_ENDPOINT_URL}; for local servers and tests.
   * See https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
   */
  public Optional<URI> endpointOverride(String service) {
    return get("AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT))
        .or(() -> get("AWS_ENDPOINT_URL"))
        .map(URI::create);
  }
}
