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
 * <p>{@link #verify} never throws for bad input: a missing header, malformed hex, a wrong length or a
 * stale timestamp all return a {@link Result} other than {@code VALID}, and the endpoint answers 401.
 */
public final class SignatureVerifier {
  /** Why a request was refused; all of them are answered 401, the reason is for logs and metrics. */
  public enum Result { VALID, MISSING_HEADER, MALFORMED_SIGNATURE, MALFORMED_TIMESTAMP, STALE_TIMESTAMP, BAD_SIGNATURE }

  private static final int SIGNATURE_HEX_LENGTH = Ed25519.SIGNATURE_SIZE * 2;
  // Unix seconds fit in 10 digits until 2286; anything longer is not a timestamp we sign-check.
  private static final int MAX_TIMESTAMP_DIGITS = 12;

  private final FixedKeyEd25519 publicKey;
  private final Clock clock;
  private final long maxAgeSeconds;

  /**
   * @param publicKeyHex the application's public key, 64 hex characters
   * @throws IllegalArgumentException if the key is not hex, not 32 bytes, or not a valid Ed25519 point
   */
  public SignatureVerifier(String publicKeyHex, Duration maxAge, Clock clock) {
    this.publicKey = decodePublicKey(publicKeyHex);
    this.clock = clock;
    this.maxAgeSeconds = maxAge.toSeconds();
  }

  private static FixedKeyEd25519 decodePublicKey(String hex) {
    byte[] raw;
    try {
      raw = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DISCORD_PUBLIC_KEY is not hex: copy the Public Key from the Developer Portal", e);
    }
    if (raw.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters), got " + raw.length + " bytes");
    }
    // Full validation (canonical, on the curve, in the prime-order subgroup) once here; then the
    // multiples of the key that every verification needs are computed once, too.
    if (Ed25519.validatePublicKeyFullExport(raw, 0) == null) {
      throw new IllegalArgumentException("DISCORD_PUBLIC_KEY is not a valid Ed25519 public key: check it was copied whole");
    }
    return new FixedKeyEd25519(raw);
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
    return verifySignature(signature, SignedMessage.of(timestamp, body)) ? Result.VALID : Result.BAD_SIGNATURE;
  }

  /** The bare Ed25519 check (RFC 8032, cofactorless) of a 64-byte signature over a message, with our public key. */
  boolean verifySignature(byte[] signature, byte[] message) {
    return publicKey.verify(signature, message);
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
