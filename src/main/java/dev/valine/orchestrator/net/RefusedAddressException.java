package dev.valine.orchestrator.net;

import java.net.UnknownHostException;

/**
 * A connection the bot refused because of the address it would reach. An {@link UnknownHostException}
 * because that is what OkHttp's {@link okhttp3.Dns} contract allows a lookup to throw; the message is
 * written for the Discord user.
 */
final class RefusedAddressException extends UnknownHostException {
  RefusedAddressException(String message) {
    super(message);
  }
}
