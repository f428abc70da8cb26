package dev.valine.orchestrator.discord;

import java.util.Arrays;
import java.util.Objects;

/**
 * An interaction exactly as Discord signed it: the raw body and the two signature headers. Kept whole so
 * the deferred half of a command can check the signature again itself instead of trusting whoever
 * handed it the job. {@code toString} shows neither the body (it holds the interaction token) nor the
 * signature.
 */
public record SignedInteraction(byte[] body, String signature, String timestamp) {
  public SignedInteraction {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(timestamp, "timestamp");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedInteraction that && Arrays.equals(body, that.body)
        && signature.equals(that.signature) && timestamp.equals(that.timestamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(body), signature, timestamp);
  }

  @Override
  public String toString() {
    return "SignedInteraction[" + body.length + " bytes, timestamp=" + timestamp + "]";
  }
}
