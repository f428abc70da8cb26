package dev.valine.orchestrator.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the Lambda runtime (or a developer's shell) says about where the bot runs, read with the rest of
 * {@link Config}. Empty outside Lambda. Holds no credential: the AWS SDK's own credentials chain reads
 * those, so they never sit in a value that could be printed.
 *
 * @param functionName {@code AWS_LAMBDA_FUNCTION_NAME}; present only in Lambda
 * @param functionVersion {@code AWS_LAMBDA_FUNCTION_VERSION}
 * @param jobQualifier the alias deferred jobs are sent to ({@code DEFERRED_JOB_QUALIFIER}), else the version
 * @param snapStart whether this is a SnapStart initialisation ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start})
 * @param xrayDaemon whether the runtime provides an X-Ray daemon ({@code AWS_XRAY_DAEMON_ADDRESS})
 * @param aws region, profile and endpoint settings for the AWS SDK ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
 *     {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>}, for local servers)
 */
public record LambdaEnvironment(
    Optional<String> functionName,
    Optional<String> functionVersion,
    Optional<String> jobQualifier,
    boolean snapStart,
    boolean xrayDaemon,
    Optional<String> logGroup,
    Optional<String> logStream,
    int memoryMb,
    Map<String, String> aws) {

  public LambdaEnvironment {
    aws = Map.copyOf(aws);
  }

  /** Outside Lambda, with no AWS settings. */
  public static LambdaEnvironment none() {
    return new LambdaEnvironment(Optional.empty(), Optional.empty(), Optional.empty(), false, false,
        Optional.empty(), Optional.empty(), 0, Map.of());
  }

  /** Whether this process runs inside Lambda. */
  public boolean inLambda() {
    return functionName.isPresent();
  }

  /**
   * These settings as the variables they came from, for the AWS and launcher factories that take an
   * environment map. Never a credential: the SDK's default chain finds those itself.
   */
  public Map<String, String> variables() {
    Map<String, String> variables = new TreeMap<>(aws);
    functionName.ifPresent(value -> variables.put("AWS_LAMBDA_FUNCTION_NAME", value));
    functionVersion.ifPresent(value -> variables.put("AWS_LAMBDA_FUNCTION_VERSION", value));
    jobQualifier.ifPresent(value -> variables.put("DEFERRED_JOB_QUALIFIER", value));
    if (xrayDaemon) {
      variables.put("AWS_XRAY_DAEMON_ADDRESS", "set");
    }
    return variables;
  }

  static LambdaEnvironment read(EnvReader read) {
    Optional<String> version = read.optional("AWS_LAMBDA_FUNCTION_VERSION");
    Map<String, String> aws = new TreeMap<>();
    for (String name : read.names()) {
      if (name.startsWith("AWS_ENDPOINT_URL")) {
        // Checked now, not when a client is first built: a bad override is a start-up error like any other.
        int problems = read.problems().size();
        String url = read.httpUrl(name, "http://127.0.0.1:8000");
        if (read.optional(name).isPresent() && read.problems().size() == problems) {
          aws.put(name, url);
        }
      } else if (name.equals("AWS_REGION") || name.equals("AWS_DEFAULT_REGION") || name.equals("AWS_PROFILE")) {
        read.optional(name).ifPresent(value -> aws.put(name, value));
      }
    }
    return new LambdaEnvironment(
        read.optional("AWS_LAMBDA_FUNCTION_NAME"),
        version,
        read.optional("DEFERRED_JOB_QUALIFIER").or(() -> version),
        read.optional("AWS_LAMBDA_INITIALIZATION_TYPE").filter("snap-start"::equals).isPresent(),
        read.optional("AWS_XRAY_DAEMON_ADDRESS").isPresent(),
        read.optional("AWS_LAMBDA_LOG_GROUP_NAME"),
        read.optional("AWS_LAMBDA_LOG_STREAM_NAME"),
        read.optional("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").flatMap(LambdaEnvironment::parseInt).orElse(0),
        aws);
  }

  private static Optional<Integer> parseInt(String value) {
    try {
      return Optional.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
