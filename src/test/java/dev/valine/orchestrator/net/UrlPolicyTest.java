package dev.valine.orchestrator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {
  private final UrlPolicy anyPublicHost = new UrlPolicy(List.of(), false);
  private final UrlPolicy allowList = new UrlPolicy(List.of(HostPattern.parse("example.com"), HostPattern.parse("*.example.net")), false);
  private final UrlPolicy dev = new UrlPolicy(List.of(), true);

  private static String refusal(UrlPolicy policy, String url) {
    return assertThrows(UrlRefusedException.class, () -> policy.check(url)).getMessage();
  }

  @Test
  void acceptsAPublicHttpsUrlAndCanonicalisesItsHost() throws Exception {
    assertEquals(HttpUrl.get("https://app.example.com/health?x=1"), anyPublicHost.check(" https://App.Example.COM./health?x=1 "));
    assertEquals(HttpUrl.get("https://xn--bcher-kva.example:8443/"), anyPublicHost.check("https://bücher.example:8443/"));
    assertEquals(HttpUrl.get("https://93.184.216.34/"), anyPublicHost.check("https://93.184.216.34/"));
    assertEquals(HttpUrl.get("https://[2606:4700:4700::1111]/"), anyPublicHost.check("https://[2606:4700:4700::1111]/"));
  }

  @Test
  void refusesPlainHttpUnlessPrivateTargetsAreAllowed() throws Exception {
    assertEquals("`http://app.example.com:8080` is not allowed: use https (plain http is only for local testing).",
        refusal(anyPublicHost, "http://app.example.com:8080/x"));

    assertEquals(HttpUrl.get("http://app.example.com/"), dev.check("http://app.example.com/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "gopher://example.com"})
  void refusesOtherSchemes(String url) {
    String scheme = url.substring(0, url.indexOf(':') + 1);
    assertEquals("`" + scheme + "` URLs are not allowed: use https://.", refusal(anyPublicHost, url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://deployer:" + "fake-pa55@example.com/", "https://fake-pa55@example.com/",
      "https://:fake-pa55@example.com/", "http://deployer:" + "fake-pa55@10.0.0.1/"})
  void refusesCredentialsWithoutEchoingThem(String url) {
    String message = refusal(anyPublicHost, url);

    assertEquals("URLs must not contain a user name or password (the `user:password@` part): remove it. "
        + "The bot did not store or show it.", message);
    assertFalse(message.contains("fake-pa55") || message.contains("deployer"), message);
  }

  @Test
  void credentialsWithoutASchemeAreNotTakenForOneAndNotEchoed() {
    String message = refusal(anyPublicHost, "deployer:fake-pa55@example.com/app");

    assertEquals("Only https:// URLs are allowed, without a user name or password.", message);
  }

  @Test
  void badPortOrHostIsExplainedWithoutQuotingTheInput() {
    assertEquals("That URL's port is not valid: use a number from 1 to 65535, or none.",
        refusal(anyPublicHost, "https://user:" + "fake-pa55@example.com:99999/"));
    assertEquals("That URL's port is not valid: use a number from 1 to 65535, or none.", refusal(anyPublicHost, "https://example.com:0/"));
    assertEquals("That URL's host name is not valid.", refusal(anyPublicHost, "https://exa mple.com/"));
    assertEquals("That is not a full URL: write it with its scheme, like https://app.example.com.", refusal(anyPublicHost, "example.com"));
    assertEquals("No URL given: write it in full, like https://app.example.com.", refusal(anyPublicHost, "  "));
  }

  @Test
  void refusesAFragment() {
    assertEquals("Remove the `#...` part from the URL for https://example.com: the bot does not use fragments.",
        refusal(anyPublicHost, "https://example.com/app#/settings"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://10.0.0.5/               | 10.0.0.5           | a private address
      https://127.0.0.1:8443/         | 127.0.0.1          | a loopback address
      https://169.254.169.254/latest/ | 169.254.169.254    | a link-local address, where cloud metadata services answer
      https://[::1]/                  | ::1                | a loopback address
      https://[fd00:ec2::254]/        | fd00:ec2::254      | AWS's instance metadata address
      https://[::ffff:10.0.0.1]/      | 10.0.0.1           | a private address
      https://[64:ff9b::a9fe:a9fe]/ | 64:ff9b::a9fe:a9fe | an IPv6 form of 169.254.169.254, a link-local address, where cloud metadata services answer
      https://0.0.0.0/                | 0.0.0.0            | an unspecified ("this network") address
      """)
  void checksLiteralAddressesLikeResolvedOnes(String url, String host, String reason) {
    assertEquals("The host " + host + " is " + reason + ": the bot only fetches public hosts.", refusal(anyPublicHost, url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.1", "2130706433", "0177.0.0.1", "10.0.1"})
  void refusesNumericHostsNotWrittenAsFourNumbers(String host) {
    assertEquals("The host " + host + " looks like an IP address but is not written as four numbers a.b.c.d: use a host name.",
        refusal(anyPublicHost, "https://" + host + "/"));
  }

  @Test
  void refusesAnIpv4AddressWithAPartOver255() {
    assertEquals("The host 300.1.1.1 is not a valid IPv4 address.", refusal(anyPublicHost, "https://300.1.1.1/"));
  }

  @Test
  void privateTargetsAllowLoopbackButNeverMetadata() throws Exception {
    assertEquals(HttpUrl.get("http://127.0.0.1:8080/"), dev.check("http://127.0.0.1:8080/"));
    assertEquals("The host 169.254.169.254 is a link-local address, where cloud metadata services answer: "
        + "the bot only fetches public hosts.", refusal(dev, "http://169.254.169.254/"));
  }

  @Test
  void allowListAcceptsExactHostsAndSubdomainsOfWildcards() throws Exception {
    assertEquals("example.com", allowList.check("https://EXAMPLE.com./").host());
    assertEquals("api.example.net", allowList.check("https://api.example.net/").host());
    assertEquals("a.b.example.net", allowList.check("https://a.b.example.net/").host());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.org/", "https://api.example.com/", "https://example.net/", "https://evilexample.net/",
      "https://example.com.evil.org/", "https://api.example.net.evil.org/", "https://93.184.216.34/"})
  void allowListRefusesEverythingElse(String url) throws Exception {
    String host = HttpUrl.get(url).host();
    assertEquals(host + " is not in ALLOWED_TARGET_DOMAINS (allowed: example.com, *.example.net).", refusal(allowList, url));
  }

  @Test
  void allowListDoesNotLetAUserInfoTrickThrough() {
    // The host here is evil.org; "example.com" is a user name, and user names are refused first anyway.
    assertEquals("URLs must not contain a user name or password (the `user:password@` part): remove it. "
        + "The bot did not store or show it.", refusal(allowList, "https://example.com@evil.org/"));
  }
}
