package dev.valine.orchestrator.discord;

import java.nio.charset.StandardCharsets;

/** The bytes Discord signs: the timestamp header's UTF-8 bytes followed by the raw body, unmodified. */
final class SignedMessage {
  private SignedMessage() {}

  static byte[] of(String timestamp, byte[] body) {
    byte[] stamp = timestamp.getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[stamp.length + body.length];
    System.arraycopy(stamp, 0, message, 0, stamp.length);
    System.arraycopy(body, 0, message, stamp.length, body.length);
    return message;
  }
}
