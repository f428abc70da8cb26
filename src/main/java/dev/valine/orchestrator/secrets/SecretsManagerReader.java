package dev.valine.orchestrator.secrets;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.util.Lazy;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Reads the secret with {@code GetSecretValue} through the SDK's client, built on first use
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html). Every failure becomes
 * a {@link SecretUnavailableException} with the service's error code, or the client exception's name when no
 * answer came; the service's messages name the secret and the caller, never the value.
 */
final class SecretsManagerReader implements SecretReader {
  private final String secretName;
  private final Lazy<SecretsManagerClient> client;

  SecretsManagerReader(AwsEnvironment aws, CallLimits limits, String secretName) {
    this.secretName = secretName;
    this.client = new Lazy<>(() -> AwsClients.secretsManager(aws, limits));
  }

  @Override
  public Read read() {
    GetSecretValueResponse answer;
    try {
      answer = client.get().getSecretValue(request -> request.secretId(secretName));
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
          ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
      throw new SecretUnavailableException(secretName, code, "Secrets Manager refused GetSecretValue");
    } catch (AbortedException e) {
      // The command that asked was given up (its thread interrupted): nothing is wrong with the secret.
      throw new SecretUnavailableException(secretName, SecretUnavailableException.ABANDONED, "the read was abandoned");
    } catch (SdkException e) {
      // Timeouts, refused connections, missing credentials: no answer from the service.
      throw new SecretUnavailableException(secretName, e.getClass().getSimpleName(), "no answer from Secrets Manager");
    }
    if (answer.secretString() == null) {
      throw new SecretUnavailableException(secretName, "MalformedSecret", "it holds binary data, not a JSON string");
    }
    return new Read(answer.secretString(), answer.versionId() == null ? "unknown" : answer.versionId());
  }

  @Override
  public void prepare() {
    client.get();
  }

  @Override
  public void close() {
    client.ifBuilt().ifPresent(SecretsManagerClient::close);
  }
}
