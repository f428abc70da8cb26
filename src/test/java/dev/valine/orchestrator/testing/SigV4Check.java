package dev.valine.orchestrator.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.RecordedRequest;

/**
 * Checks a received request's SigV4 signature the way AWS does, from what arrived on the wire: the
 * canonical request from the method, path, query, the signed headers' received values and the body's
 * hash, then the HMAC chain from the secret key. Written from AWS's published algorithm, independently
 * of the SDK signer that made the signature, so it catches a request whose sent bytes differ from the
 * signed ones (a header dropped or rewritten by the HTTP client, a changed body).
 */
public final class SigV4Check {
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

  private SigV4Check() {}

  /** The signature the request should carry if it was signed with this secret; compare with {@link #received}. */
  public static String expected(RecordedRequest request, String secretKey) throws GeneralSecurityException {
    Matcher auth = parse(request);
    String amzDate = request.getHeaders().get("X-Amz-Date");
    StringBuilder canonical = new StringBuilder()
        .append(request.getMethod()).append('\n')
        .append(canonicalPath(request)).append('\n')
        .append(canonicalQuery(request)).append('\n');
    for (String name : auth.group(5).split(";")) {
      canonical.append(name).append(':').append(request.getHeaders().get(name).trim()).append('\n');
    }
    canonical.append('\n').append(auth.group(5)).append('\n')
        .append(hex(sha256(request.getBody() == null ? new byte[0] : request.getBody().toByteArray())));
    String scope = auth.group(2) + "/" + auth.group(3) + "/" + auth.group(4) + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), auth.group(2));
    for (String part : new String[] {auth.group(3), auth.group(4), "aws4_request"}) {
      key = hmac(key, part);
    }
    return hex(hmac(key, toSign));
  }

  /** The signature in the request's Authorization header. */
  public static String received(RecordedRequest request) {
    return parse(request).group(6);
  }

  /** The credential scope: access key id, date, region, service. */
  public static List<String> scope(RecordedRequest request) {
    Matcher auth = parse(request);
    return List.of(auth.group(1), auth.group(2), auth.group(3), auth.group(4));
  }

  /** The headers the signature covers, lower case. */
  public static List<String> signedHeaders(RecordedRequest request) {
    return List.of(parse(request).group(5).split(";"));
  }

  private static Matcher parse(RecordedRequest request) {
    String header = request.getHeaders().get("Authorization");
    Matcher auth = AUTHORIZATION.matcher(header == null ? "" : header);
    if (!auth.matches()) {
      throw new AssertionError("not a SigV4 Authorization header: " + header);
    }
    return auth;
  }

  /** For every service but S3, AWS encodes each segment of the (already encoded) path once more. */
  private static String canonicalPath(RecordedRequest request) {
    StringBuilder path = new StringBuilder();
    for (String segment : request.getUrl().encodedPath().split("/", -1)) {
      if (path.length() > 0 || !segment.isEmpty()) {
        path.append('/');
      }
      for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
        char c = (char) (b & 0xff);
        boolean unreserved = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0;
        path.append(unreserved ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
      }
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  private static String canonicalQuery(RecordedRequest request) {
    String query = request.getUrl().encodedQuery();
    if (query == null || query.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>(List.of(query.split("&")));
    pairs.replaceAll(pair -> pair.contains("=") ? pair : pair + "=");
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static byte[] sha256(byte[] data) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
