package dev.valine.orchestrator.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * The checks of docs/security.md that need no network: a URL a user supplies, or a redirect points to, must be
 * https (http only when private targets are allowed, which is dev only), carry no user name or password
 * and no fragment, name a host in {@code ALLOWED_TARGET_DOMAINS} (any host when that is empty), and, when
 * its host is a literal IP address, a public one. Names are checked again on their resolved addresses when
 * {@link SafeHttp} connects. Immutable and thread-safe.
 *
 * <p>URLs are parsed by OkHttp's {@link HttpUrl}, the parser that later connects, so the host checked is
 * the host connected to.
 */
public final class UrlPolicy {
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);
  // OkHttp connects to a host that looks like this without asking DNS (InetAddress.getByName), so it is
  // an address and is judged here; only the plain dotted-decimal form is accepted.
  private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
  private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  private final List<HostPattern> allowedHosts;
  private final AddressPolicy addresses;
  private final boolean allowPrivate;

  /**
   * @param allowedHosts {@code ALLOWED_TARGET_DOMAINS}; empty allows any host with a public address
   * @param allowPrivateTargets {@code ALLOW_PRIVATE_TARGETS}: permits http and loopback or private
   *     addresses, for tests and local runs (the configuration refuses it outside {@code STAGE=dev})
   */
  public UrlPolicy(List<HostPattern> allowedHosts, boolean allowPrivateTargets) {
    this.allowedHosts = List.copyOf(allowedHosts);
    this.allowPrivate = allowPrivateTargets;
    this.addresses = new AddressPolicy(allowPrivateTargets);
  }

  AddressPolicy addresses() {
    return addresses;
  }

  /**
   * Parses and checks a URL as a user typed it.
   *
   * @return the URL in canonical form (host in lower case and punycode, no trailing dot)
   * @throws UrlRefusedException saying what is wrong; it never echoes the text, which may hold a password
   */
  public HttpUrl check(String text) throws UrlRefusedException {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.isEmpty()) {
      throw new UrlRefusedException("No URL given: write it in full, like https://app.example.com.");
    }
    var scheme = SCHEME.matcher(trimmed);
    if (!scheme.matches()) {
      throw new UrlRefusedException("That is not a full URL: write it with its scheme, like https://app.example.com.");
    }
    String name = scheme.group(1).toLowerCase(java.util.Locale.ROOT);
    if (!name.equals("https") && !name.equals("http")) {
      if (trimmed.contains("@")) {
        // "user:password@host" without a scheme reads as scheme "user": don't repeat it.
        throw new UrlRefusedException("Only https:// URLs are allowed, without a user name or password.");
      }
      throw new UrlRefusedException("`" + name + ":` URLs are not allowed: use https://.");
    }
    HttpUrl url;
    try {
      url = HttpUrl.get(trimmed);
    } catch (IllegalArgumentException e) {
      // OkHttp's messages quote the part it rejects; ours say which part without quoting the input.
      String why = String.valueOf(e.getMessage());
      if (why.startsWith("Invalid URL port")) {
        throw new UrlRefusedException("That URL's port is not valid: use a number from 1 to 65535, or none.");
      }
      if (why.startsWith("Invalid URL host")) {
        throw new UrlRefusedException("That URL's host name is not valid.");
      }
      throw new UrlRefusedException("That is not a valid URL: write it like https://app.example.com/path.");
    }
    return check(url);
  }

  /**
   * Checks a parsed URL: a user's, or one a redirect points to.
   *
   * @return the URL without a trailing dot on its host
   */
  public HttpUrl check(HttpUrl url) throws UrlRefusedException {
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      // Neither the URL nor the user name is repeated: they are credentials.
      throw new UrlRefusedException("URLs must not contain a user name or password (the `user:password@` part): "
          + "remove it. The bot did not store or show it.");
    }
    String host = url.host();
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
      url = url.newBuilder().host(host).build();
    }
    String origin = url.scheme() + "://" + hostForDisplay(host) + portForDisplay(url);
    if (!url.isHttps() && !allowPrivate) {
      throw new UrlRefusedException("`" + origin + "` is not allowed: use https (plain http is only for local testing).");
    }
    if (url.fragment() != null) {
      throw new UrlRefusedException("Remove the `#...` part from the URL for " + origin + ": the bot does not use fragments.");
    }
    Optional<InetAddress> literal = literalAddress(host);
    if (literal.isPresent()) {
      Optional<String> refusal = addresses.refusal(literal.get());
      if (refusal.isPresent()) {
        throw new UrlRefusedException("The host " + host + " is " + refusal.get() + ": the bot only fetches public hosts.");
      }
    }
    String canonical = host;
    if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(pattern -> pattern.matches(canonical))) {
      throw new UrlRefusedException(hostForDisplay(host) + " is not in ALLOWED_TARGET_DOMAINS (allowed: "
          + allowedHosts.stream().map(HostPattern::toString).collect(Collectors.joining(", ")) + ").");
    }
    return url;
  }

  /**
   * The host as an address when OkHttp would connect to it without DNS, which is when it is an IP
   * literal (it then skips {@link okhttp3.Dns}).
   *
   * @throws UrlRefusedException for all-digit forms other than a.b.c.d, which resolvers read in different
   *     ways (127.1, 2130706433, 0177.0.0.1); hex forms such as 0x7f.1 are names to OkHttp, so they reach
   *     the resolver and their resolved address is checked
   */
  private static Optional<InetAddress> literalAddress(String host) throws UrlRefusedException {
    try {
      if (host.contains(":")) {
        // HttpUrl has already parsed and canonicalised it, so this is an IPv6 literal: no DNS involved.
        return Optional.of(InetAddress.getByName(host));
      }
      if (DIGITS_AND_DOTS.matcher(host).matches()) {
        if (!DOTTED_QUAD.matcher(host).matches()) {
          throw new UrlRefusedException("The host " + host + " looks like an IP address but is not written as four numbers "
              + "a.b.c.d: use a host name.");
        }
        byte[] bytes = new byte[4];
        String[] parts = host.split("\\.");
        for (int i = 0; i < 4; i++) {
          int value = Integer.parseInt(parts[i]);
          if (value > 255) {
            throw new UrlRefusedException("The host " + host + " is not a valid IPv4 address.");
          }
          bytes[i] = (byte) value;
        }
        return Optional.of(InetAddress.getByAddress(bytes));
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      throw new UrlRefusedException("The host " + host + " is not a valid IP address.");
    }
  }

  private static String hostForDisplay(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String portForDisplay(HttpUrl url) {
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port();
  }
}
