package dev.valine.orchestrator.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short name for a value that must not be shown whole: the first 8 hex digits of its SHA-256. Two people can
 * tell whether they mean the same value, and a log or an alert can say which value was set, without the value
 * (whose query string may carry a key) appearing anywhere.
 */
final class Fingerprint {
  private static final int HEX_DIGITS = 8;

  private Fingerprint() {}

  /** The fingerprint of the value's UTF-8 bytes, 8 lower-case hex digits. */
  static String of(String value) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (java.security.MessageDigest's javadoc).
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    byte[] digest = sha256.digest(value.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, HEX_DIGITS / 2);
  }
}
