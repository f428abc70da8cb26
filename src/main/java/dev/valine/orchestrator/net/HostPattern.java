package dev.valine.orchestrator.net;

import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * One entry of {@code ALLOWED_TARGET_DOMAINS}: a host ({@code example.com}, matching only itself) or
 * {@code *.example.com}, matching every subdomain at any depth but not {@code example.com} itself. Names
 * are compared in the form OkHttp connects to: lower case, internationalised names as punycode, no
 * trailing dot.
 *
 * @param host the host, or for a wildcard the domain below which hosts match, in canonical form
 * @param subdomains whether this is a {@code *.} pattern
 */
public record HostPattern(String host, boolean subdomains) {
  // What a host name cannot contain; anything else is left to OkHttp's parser.
  private static final Pattern NOT_A_HOST = Pattern.compile("[\\s/?#@:\\[\\]\\\\%*]");

  public HostPattern {
    // Matching compares canonical forms; a pattern built by hand must already be one.
    if (host == null || !host.equals(canonicalHost(host))) {
      throw new IllegalArgumentException("not a canonical host (lower case, punycode, no trailing dot): " + host);
    }
  }

  /**
   * Parses one entry.
   *
   * @throws IllegalArgumentException whose message says what is wrong with it, for the configuration error
   */
  public static HostPattern parse(String text) {
    String entry = text.trim();
    boolean subdomains = entry.startsWith("*.");
    String name = subdomains ? entry.substring(2) : entry;
    if (name.isEmpty() || NOT_A_HOST.matcher(name).find()) {
      throw new IllegalArgumentException("'" + entry + "' is not a host name or *.domain (no scheme, port, path or other '*')");
    }
    String host = canonicalHost(name);
    if (host == null) {
      throw new IllegalArgumentException("'" + entry + "' is not a valid host name");
    }
    return new HostPattern(host, subdomains);
  }

  /**
   * The host as OkHttp will connect to it (lower case, punycode) without a trailing dot, or null when
   * OkHttp does not accept it. The same parser that connects normalises here, so a pattern and a URL
   * cannot disagree on what a name means (java.net.IDN, for one, maps "ß" differently).
   */
  static String canonicalHost(String name) {
    HttpUrl url = HttpUrl.parse("https://" + name + "/");
    if (url == null) {
      return null;
    }
    String host = url.host();
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  /** @param canonical a host in canonical form, as {@link UrlPolicy} passes it */
  boolean matches(String canonical) {
    // The dot keeps evilexample.com from matching *.example.com.
    return subdomains ? canonical.endsWith("." + host) : canonical.equals(host);
  }

  @Override
  public String toString() {
    return subdomains ? "*." + host : host;
  }
}
