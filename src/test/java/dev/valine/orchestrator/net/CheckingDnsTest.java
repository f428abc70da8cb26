package dev.valine.orchestrator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;

/** The resolving check on its own, over a fixed table: nothing here is ever connected to. */
class CheckingDnsTest {
  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private final Map<String, List<InetAddress>> table = Map.of(
      "public.test", List.of(address("93.184.216.34")),
      "mixed.test", List.of(address("93.184.216.34"), address("10.0.0.7")),
      "mapped.test", List.of(address("2606:4700:4700::1111"), address("64:ff9b::7f00:1")),
      "metadata.test", List.of(address("169.254.169.254")),
      "loopback.test", List.of(address("127.0.0.1")));
  private final Dns resolver = host -> table.get(host);

  @Test
  void returnsEveryAddressOfAPublicName() throws Exception {
    assertEquals(List.of(address("93.184.216.34")), new CheckingDns(resolver, new AddressPolicy(false)).lookup("public.test"));
  }

  @Test
  void refusesTheWholeNameWhenAnyAnswerIsForbidden() {
    // Filtering out 10.0.0.7 would leave a name that an attacker can steer: refuse it.
    UnknownHostException error = assertThrows(RefusedAddressException.class,
        () -> new CheckingDns(resolver, new AddressPolicy(false)).lookup("mixed.test"));

    assertEquals("mixed.test resolves to 10.0.0.7, a private address: the bot only fetches public hosts.", error.getMessage());
  }

  @Test
  void refusesAnIpv6FormOfLoopback() {
    UnknownHostException error = assertThrows(RefusedAddressException.class,
        () -> new CheckingDns(resolver, new AddressPolicy(false)).lookup("mapped.test"));

    assertEquals("mapped.test resolves to 64:ff9b:0:0:0:0:7f00:1, an IPv6 form of 127.0.0.1, a loopback address: "
        + "the bot only fetches public hosts.", error.getMessage());
  }

  @Test
  void privateTargetsReachLoopbackButNotMetadata() throws Exception {
    CheckingDns dev = new CheckingDns(resolver, new AddressPolicy(true));

    assertEquals(List.of(address("127.0.0.1")), dev.lookup("loopback.test"));
    assertThrows(RefusedAddressException.class, () -> dev.lookup("metadata.test"));
  }

  @Test
  void passesOnTheResolversOwnFailure() {
    Dns failing = host -> {
      throw new UnknownHostException("no such host: " + host);
    };

    UnknownHostException error = assertThrows(UnknownHostException.class,
        () -> new CheckingDns(failing, new AddressPolicy(false)).lookup("gone.test"));

    assertEquals("no such host: gone.test", error.getMessage());
  }
}
