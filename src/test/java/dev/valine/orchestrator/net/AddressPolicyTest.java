package dev.valine.orchestrator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  private final AddressPolicy publicOnly = new AddressPolicy(false);
  private final AddressPolicy privateAllowed = new AddressPolicy(true);

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0.0.0.0              | an unspecified ("this network") address
      0.1.2.3              | an unspecified ("this network") address
      10.0.0.5             | a private address
      10.255.255.255       | a private address
      100.64.0.1           | a carrier-grade NAT (shared) address
      100.127.255.254      | a carrier-grade NAT (shared) address
      127.0.0.1            | a loopback address
      127.8.9.10           | a loopback address
      169.254.169.254      | a link-local address, where cloud metadata services answer
      169.254.0.1          | a link-local address, where cloud metadata services answer
      172.16.0.1           | a private address
      172.31.255.255       | a private address
      192.0.0.8            | a reserved (IETF protocol) address
      192.0.2.10           | a documentation address
      192.88.99.1          | a reserved (6to4 relay) address
      192.168.1.1          | a private address
      198.18.0.1           | a reserved (benchmarking) address
      198.19.255.255       | a reserved (benchmarking) address
      198.51.100.7         | a documentation address
      203.0.113.9          | a documentation address
      224.0.0.1            | a multicast address
      239.255.255.250      | a multicast address
      240.0.0.1            | a reserved address
      255.255.255.255      | a reserved address
      ::                   | an unspecified address
      ::1                  | a loopback address
      fd00:ec2::254        | AWS's instance metadata address
      fc00::1              | a private (unique local) address
      fd12:3456:789a::1    | a private (unique local) address
      fe80::1              | a link-local address
      febf:ffff::1         | a link-local address
      ff02::1              | a multicast address
      2001:db8::1          | a documentation address
      3fff::1              | a documentation address
      2001::1              | a reserved (IETF protocol) address
      2001:0:4136:e378::1  | a reserved (IETF protocol) address
      fec0::1              | a reserved IPv6 address
      ::7f00:1             | a reserved IPv6 address
      100::1               | a reserved IPv6 address
      64:ff9b:1::a00:1     | a reserved IPv6 address
      4000::1              | a reserved IPv6 address
      ::ffff:10.0.0.1      | a private address
      ::ffff:169.254.169.254 | a link-local address, where cloud metadata services answer
      64:ff9b::10.0.0.1    | an IPv6 form of 10.0.0.1, a private address
      64:ff9b::127.0.0.1   | an IPv6 form of 127.0.0.1, a loopback address
      2002:a9fe:a9fe::1    | an IPv6 form of 169.254.169.254, a link-local address, where cloud metadata services answer
      2002:c0a8:101::1     | an IPv6 form of 192.168.1.1, a private address
      """)
  void refusesEveryAddressThatIsNotPublicUnicast(String address, String why) throws Exception {
    assertEquals(Optional.of(why), publicOnly.refusal(InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255",
      "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255", "223.255.255.255", "11.0.0.1",
      "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "2002:808:808::1", "2001:200::1"})
  void allowsPublicUnicast(String address) throws Exception {
    assertEquals(Optional.empty(), publicOnly.refusal(InetAddress.getByName(address)));
  }

  @Test
  void judgesAnIpv4MappedAddressTheJdkLeftAsIpv6ByItsIpv4Part() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    // Inet6Address.getByAddress keeps the IPv6 form that InetAddress.getByAddress would turn into IPv4.
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

    assertEquals(Optional.of("an IPv6 form of 169.254.169.254, a link-local address, where cloud metadata services answer"),
        publicOnly.refusal(address));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.0.10", "100.64.0.1", "::1", "fd12::1"})
  void privateTargetsMakeLoopbackAndPrivateBlocksReachable(String address) throws Exception {
    assertEquals(Optional.empty(), privateAllowed.refusal(InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "fe80::1", "fd00:ec2::254", "0.0.0.0", "::", "224.0.0.1", "192.0.2.1", "2001:db8::1"})
  void privateTargetsNeverReachMetadataLinkLocalOrReservedAddresses(String address) throws Exception {
    assertTrue(privateAllowed.refusal(InetAddress.getByName(address)).isPresent(), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.9.9", "169.254.1.1", "224.1.2.3",
      "::", "::1", "fe80::abcd", "fec0::1", "ff05::2"})
  void refusesEverythingTheJdkCallsLocalOrMulticast(String text) throws Exception {
    InetAddress address = InetAddress.getByName(text);
    assertTrue(address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress(), "precondition: the JDK flags " + text);

    assertTrue(publicOnly.refusal(address).isPresent(), text);
  }
}
