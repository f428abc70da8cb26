package dev.valine.orchestrator.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. Immutable. An IPv4 block never contains
 * an IPv6 address or the other way round: IPv4 embedded in IPv6 is unwrapped by {@link AddressPolicy}.
 */
final class Cidr {
  private static final Pattern NUMERIC = Pattern.compile("[0-9a-fA-F:.]+");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /** Parses {@code address/prefix}. Only for this package's constant tables, so a typo fails at class load. */
  static Cidr parse(String block) {
    int slash = block.indexOf('/');
    String address = slash < 0 ? "" : block.substring(0, slash);
    // Numeric literals only: InetAddress.getByName would send anything else to DNS.
    if (!NUMERIC.matcher(address).matches()) {
      throw new IllegalArgumentException("not a CIDR block: " + block);
    }
    byte[] network;
    try {
      network = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a CIDR block: " + block, e);
    }
    if (address.contains(":") && network.length == 4) {
      // The JDK reads ::ffff:a.b.c.d as IPv4; a table entry must say which family it means.
      throw new IllegalArgumentException("write IPv4-mapped blocks as IPv4: " + block);
    }
    int prefix = Integer.parseInt(block.substring(slash + 1));
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("prefix out of range: " + block);
    }
    return new Cidr(network, prefix, block);
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (bytes[whole] & mask) == (network[whole] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
