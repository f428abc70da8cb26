package dev.valine.orchestrator.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses the bot may connect to (docs/security.md): public unicast only. Refused are loopback,
 * private, link-local (where cloud metadata answers), carrier-grade NAT, unspecified, multicast, reserved
 * and documentation blocks, and the IPv6 forms that embed such an IPv4 address. With private targets
 * allowed (ALLOW_PRIVATE_TARGETS, dev only) loopback, private and carrier-grade NAT blocks are reachable;
 * link-local and metadata addresses never are. Immutable and thread-safe.
 *
 * <p>One table per family rather than the JDK's {@code InetAddress.is*Address} predicates: those miss
 * carrier-grade NAT, the documentation blocks and fc00::/7 ({@code isSiteLocalAddress} is only the
 * deprecated fec0::/10), and a table names the block in the refusal. AddressPolicyTest checks that every
 * address the JDK's predicates flag is refused here too.
 */
final class AddressPolicy {
  /** A refused block; {@code privateUse} blocks are reachable when private targets are allowed. */
  private record Block(Cidr cidr, String what, boolean privateUse) {
  }

  // The blocks of the IANA IPv4 Special-Purpose Address Registry that are not globally reachable, plus
  // multicast: https://www.iana.org/assignments/iana-ipv4-special-registry/
  private static final List<Block> IPV4 = List.of(
      block("0.0.0.0/8", "an unspecified (\"this network\") address", false),
      block("10.0.0.0/8", "a private address", true),
      block("100.64.0.0/10", "a carrier-grade NAT (shared) address", true),
      block("127.0.0.0/8", "a loopback address", true),
      block("169.254.0.0/16", "a link-local address, where cloud metadata services answer", false),
      block("172.16.0.0/12", "a private address", true),
      block("192.0.0.0/24", "a reserved (IETF protocol) address", false),
      block("192.0.2.0/24", "a documentation address", false),
      block("192.88.99.0/24", "a reserved (6to4 relay) address", false),
      block("192.168.0.0/16", "a private address", true),
      block("198.18.0.0/15", "a reserved (benchmarking) address", false),
      block("198.51.100.0/24", "a documentation address", false),
      block("203.0.113.0/24", "a documentation address", false),
      block("224.0.0.0/4", "a multicast address", false),
      // Includes the broadcast address 255.255.255.255.
      block("240.0.0.0/4", "a reserved address", false));

  // Special-purpose blocks that matter inside or beside global unicast, first match wins:
  // https://www.iana.org/assignments/iana-ipv6-special-registry/
  private static final List<Block> IPV6 = List.of(
      block("::/128", "an unspecified address", false),
      block("::1/128", "a loopback address", true),
      // AWS's IPv6 instance metadata endpoint sits inside fc00::/7, so it comes first.
      block("fd00:ec2::254/128", "AWS's instance metadata address", false),
      block("fc00::/7", "a private (unique local) address", true),
      block("fe80::/10", "a link-local address", false),
      block("ff00::/8", "a multicast address", false),
      block("2001:db8::/32", "a documentation address", false),
      block("3fff::/20", "a documentation address", false),
      // Teredo, benchmarking, ORCHID and other IETF protocol assignments.
      block("2001::/23", "a reserved (IETF protocol) address", false));
  // Anything else outside global unicast (IPv4-compatible ::/96, discard-only 100::/64, site-local
  // fec0::/10, local-use NAT64, unassigned space) is refused as reserved (RFC 4291 section 2.4).
  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");
  // IPv6 forms that carry an IPv4 address the packets end up at: judged by that address.
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96"); // RFC 6052: the IPv4 address is the last 4 bytes
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16"); // RFC 3056: bytes 2 to 5

  private final boolean allowPrivate;

  /** @param allowPrivate whether loopback, private and carrier-grade NAT addresses are reachable (dev only) */
  AddressPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Why the bot must not connect to {@code address} ("a private address"), or empty when it may. */
  Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      Optional<InetAddress> embedded = embeddedIpv4(address, bytes);
      if (embedded.isPresent()) {
        return refusal(embedded.get()).map(what -> "an IPv6 form of " + embedded.get().getHostAddress() + ", " + what);
      }
    }
    for (Block block : bytes.length == 4 ? IPV4 : IPV6) {
      if (block.cidr().contains(address)) {
        return block.privateUse() && allowPrivate ? Optional.empty() : Optional.of(block.what());
      }
    }
    if (bytes.length == 16 && !GLOBAL_UNICAST.contains(address)) {
      return Optional.of("a reserved IPv6 address");
    }
    return Optional.empty();
  }

  private static Optional<InetAddress> embeddedIpv4(InetAddress address, byte[] bytes) {
    // The JDK already turns ::ffff:a.b.c.d into an Inet4Address when it parses; an Inet6Address built
    // from raw bytes may still carry one.
    boolean mapped = isZero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    if (mapped || NAT64.contains(address)) {
      return Optional.of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return Optional.of(ipv4(Arrays.copyOfRange(bytes, 2, 6)));
    }
    return Optional.empty();
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress ipv4(byte[] four) {
    try {
      return InetAddress.getByAddress(four);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static Block block(String cidr, String what, boolean privateUse) {
    return new Block(Cidr.parse(cidr), what, privateUse);
  }
}
