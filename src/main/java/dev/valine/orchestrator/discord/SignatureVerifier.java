package dev.valine.orchestrator.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Checks Discord's request signature: Ed25519 over the {@code X-Signature-Timestamp} value followed by
 * the raw body bytes exactly as received, plus the timestamp's age in both directions (replay window).
 * Thread-safe; build one per container, since the public key is decoded and validated once.
 *
 * <p>The check itself is BouncyCastle's RFC 8032 verify, which is cofactored (RFC 8032 §5.1.7 allows
 * either equation): S must be below L and R a canonical point encoding, and a signature whose nonce
 * carries a small-order part is accepted. The key is held to more than RFC 8032 asks: it must be a
 * canonical point of prime order, so the keys that make cofactored and cofactorless verifiers disagree
 * (https://eprint.iacr.org/2020/1244) are refused at start-up. Which signatures and keys are accepted
 * is pinned by {@code SignatureVectorsTest} with Wycheproof's and ed25519-speccheck's vectors.
 *
 * <p>{@link #verify} never throws for bad input: a missing header, malformed hex, a wrong length or a
 * stale timestamp all return a {@link Result} other than {@code VALID}, and the endpoint answers 401.
 */
public final class SignatureVerifier {
  /** Why a request was refused; all of them are answered 401, the reason is for logs and metrics. */
  public enum Result { VALID, MISSING_HEADER, MALFORMED_SIGNATURE, MALFORMED_TIMESTAMP, STALE_TIMESTAMP, BAD_SIGNATURE }

  private static final int SIGNATURE_HEX_LENGTH = Ed25519.SIGNATURE_SIZE * 2;
  // Unix seconds fit in 10 digits until 2286; anything longer is not a timestamp we sign-check.
  private static final int MAX_TIMESTAMP_DIGITS = 12;

  private final Ed25519.PublicPoint publicKey;
  private final Clock clock;
  private final long maxAgeSeconds;

  /**
   * @param publicKeyHex the application's public key, 64 hex characters
   * @throws IllegalArgumentException if the key is not hex, not 32 bytes, not a canonical Ed25519 point,
   *     or not of prime order (a weak key: small order, or with a small-order component)
   */
  public SignatureVerifier(String publicKeyHex, Duration maxAge, Clock clock) {
    this.publicKey = decodePublicKey(publicKeyHex);
    this.clock = clock;
    this.maxAgeSeconds = maxAge.toSeconds();
  }

  private static Ed25519.PublicPoint decodePublicKey(String hex) {
    byte[] raw;
    try {
      raw = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DISCORD_PUBLIC_KEY is not hex: copy the Public Key from the Developer Portal", e);
    }
    if (raw.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters), got " + raw.length + " bytes");
    }
    // Full validation (canonical, on the curve, in the prime-order subgroup) once here, so no request
    // pays for it; the decoded point is what every verification then starts from.
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(raw, 0);
    if (point == null) {
      // The same words for a mangled key and a weak one: either way the fix is to copy the real key again.
      throw new IllegalArgumentException("DISCORD_PUBLIC_KEY is not a valid Ed25519 public key: check it was copied whole");
    }
    return point;
  }

  /** Checks one request; {@code signatureHex} and {@code timestamp} are the header values, null when absent. */
  public Result verify(String signatureHex, String timestamp, byte[] body) {
    return verify(signatureHex, timestamp, body, maxAgeSeconds);
  }

  /**
   * Checks an interaction handed to the deferred half of a command: the same signature check as a
   * request gets, but the timestamp may be up to {@code maxAge} old (the interaction token's lifetime),
   * since a deferred job legitimately runs after the request's freshness window.
   */
  public Result verify(SignedInteraction signed, Duration maxAge) {
    return verify(signed.signature(), signed.timestamp(), signed.body(), maxAge.toSeconds());
  }

  private Result verify(String signatureHex, String timestamp, byte[] body, long maxAgeSeconds) {
    if (signatureHex == null || timestamp == null || body == null) {
      return Result.MISSING_HEADER;
    }
    byte[] signature = parseSignature(signatureHex);
    if (signature == null) {
      return Result.MALFORMED_SIGNATURE;
    }
    long seconds = parseTimestamp(timestamp);
    if (seconds < 0) {
      return Result.MALFORMED_TIMESTAMP;
    }
    long now = clock.millis() / 1000;
    if (Math.abs(now - seconds) > maxAgeSeconds) {
      return Result.STALE_TIMESTAMP;
    }
    return check(signature, SignedMessage.of(timestamp, body));
  }

  /**
   * The signature half of {@link #verify} on its own, for a message that is not {@code timestamp + body}:
   * the same hex parsing, decoded key and verification every request goes through. Test vectors use it.
   */
  Result verifySignature(String signatureHex, byte[] message) {
    byte[] signature = parseSignature(signatureHex);
    return signature == null ? Result.MALFORMED_SIGNATURE : check(signature, message);
  }

  private Result check(byte[] signature, byte[] message) {
    return Ed25519.verify(signature, 0, publicKey, message, 0, message.length) ? Result.VALID : Result.BAD_SIGNATURE;
  }

  private static byte[] parseSignature(String hex) {
    if (hex.length() != SIGNATURE_HEX_LENGTH) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Unix seconds as sent by Discord (digits only), or -1 when the value is not such a number. */
  private static long parseTimestamp(String timestamp) {
    int length = timestamp.length();
    if (length == 0 || length > MAX_TIMESTAMP_DIGITS) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = timestamp.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
