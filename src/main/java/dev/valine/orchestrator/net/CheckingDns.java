package dev.valine.orchestrator.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves a name and refuses it when any address it resolves to is one the bot must not reach. OkHttp
 * connects only to the addresses a lookup returns, so what is checked is what is connected to: a name
 * cannot pass the check and then be re-resolved elsewhere (DNS rebinding) before the connection.
 *
 * <p>Any forbidden address refuses the whole name, rather than being filtered out: with a mixed answer
 * (one public address, one 127.0.0.1) an attacker can make the public one fail, and a client that falls
 * back from address to address would then end up at the private one. A name that resolves partly to a
 * private address is a misconfiguration worth reporting in any case.
 *
 * <p>Only {@link #lookup} is implemented: OkHttp's newer {@code Dns.newCall} defaults to calling it, so no
 * lookup bypasses the check.
 */
final class CheckingDns implements Dns {
  private final Dns resolver;
  private final AddressPolicy policy;

  /** @param resolver the real resolver ({@link Dns#SYSTEM}); tests pass a fixed table */
  CheckingDns(Dns resolver, AddressPolicy policy) {
    this.resolver = resolver;
    this.policy = policy;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> addresses = resolver.lookup(hostname);
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        throw new RefusedAddressException(hostname + " resolves to " + address.getHostAddress() + ", " + refusal.get()
            + ": the bot only fetches public hosts.");
      }
    }
    return addresses;
  }
}
