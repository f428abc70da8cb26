package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.discord.SignatureVerifier.Result;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());
  private static final byte[] BODY = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  /** The order of the base point, RFC 8032 §5.1. */
  private static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private final Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
  private final SignatureVerifier verifier = new SignatureVerifier(keys.publicKeyHex(), Duration.ofSeconds(300), CLOCK);

  /** RFC 8032 §7.1, TEST 1, 2, 3 and SHA(abc): secret key, public key, message, signature. */
  @ParameterizedTest
  @CsvSource({
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60, d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '', "
          + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb, 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72, "
          + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7, fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82, "
          + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  })
  void acceptsRfc8032TestVectors(String secret, String publicKey, String message, String signature) {
    SignatureVerifier vectorVerifier = new SignatureVerifier(publicKey, Duration.ofSeconds(300), CLOCK);
    byte[] msg = HEX.parseHex(message);

    assertEquals(Result.VALID, vectorVerifier.verifySignature(signature, msg));
    assertEquals(publicKey, Ed25519KeyPair.fromPrivateKeyHex(secret).publicKeyHex(), "public key derived from the secret");
    String flipped = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
    assertEquals(Result.BAD_SIGNATURE, vectorVerifier.verifySignature(flipped, msg));
  }

  @Test
  void acceptsDiscordStyleSignatureFromGeneratedKeyPair() {
    assertEquals(Result.VALID, verifier.verify(keys.sign(TIMESTAMP, BODY), TIMESTAMP, BODY));
  }

  @Test
  void acceptsUpperCaseSignatureHex() {
    assertEquals(Result.VALID, verifier.verify(keys.sign(TIMESTAMP, BODY).toUpperCase(), TIMESTAMP, BODY));
  }

  @Test
  void rejectsTamperedBody() {
    String signature = keys.sign(TIMESTAMP, BODY);
    byte[] tampered = "{\"type\":2}".getBytes(StandardCharsets.UTF_8);

    assertEquals(Result.BAD_SIGNATURE, verifier.verify(signature, TIMESTAMP, tampered));
  }

  @Test
  void rejectsBodyWithAddedWhitespace() {
    String signature = keys.sign(TIMESTAMP, BODY);

    assertEquals(Result.BAD_SIGNATURE, verifier.verify(signature, TIMESTAMP, "{\"type\": 1}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rejectsTamperedTimestamp() {
    String signature = keys.sign(TIMESTAMP, BODY);
    String otherTimestamp = Long.toString(NOW.getEpochSecond() - 1);

    assertEquals(Result.BAD_SIGNATURE, verifier.verify(signature, otherTimestamp, BODY));
  }

  @Test
  void rejectsTamperedSignature() {
    char[] signature = keys.sign(TIMESTAMP, BODY).toCharArray();
    signature[10] = signature[10] == '0' ? '1' : '0';

    assertEquals(Result.BAD_SIGNATURE, verifier.verify(new String(signature), TIMESTAMP, BODY));
  }

  @Test
  void rejectsSignatureFromAnotherKey() {
    Ed25519KeyPair other = Ed25519KeyPair.generate(new SecureRandom());

    assertEquals(Result.BAD_SIGNATURE, verifier.verify(other.sign(TIMESTAMP, BODY), TIMESTAMP, BODY));
  }

  @Test
  void rejectsMissingHeaders() {
    String signature = keys.sign(TIMESTAMP, BODY);

    assertEquals(Result.MISSING_HEADER, verifier.verify(null, TIMESTAMP, BODY));
    assertEquals(Result.MISSING_HEADER, verifier.verify(signature, null, BODY));
    assertEquals(Result.MISSING_HEADER, verifier.verify(signature, TIMESTAMP, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "zz", "not-hex-at-all"})
  void rejectsMalformedSignature(String signature) {
    assertEquals(Result.MALFORMED_SIGNATURE, verifier.verify(signature, TIMESTAMP, BODY));
  }

  @Test
  void rejectsSignatureOfWrongLength() {
    String signature = keys.sign(TIMESTAMP, BODY);

    assertEquals(Result.MALFORMED_SIGNATURE, verifier.verify(signature.substring(2), TIMESTAMP, BODY));
    assertEquals(Result.MALFORMED_SIGNATURE, verifier.verify(signature + "00", TIMESTAMP, BODY));
  }

  @Test
  void rejectsNonHexSignatureOfRightLength() {
    String signature = "g" + keys.sign(TIMESTAMP, BODY).substring(1);

    assertEquals(Result.MALFORMED_SIGNATURE, verifier.verify(signature, TIMESTAMP, BODY));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-1764309600", "1764309600.5", " 1764309600", "1764309600 ", "+1764309600", "9999999999999"})
  void rejectsNonNumericTimestamp(String timestamp) {
    assertEquals(Result.MALFORMED_TIMESTAMP, verifier.verify(keys.sign(timestamp, BODY), timestamp, BODY));
  }

  @Test
  void rejectsStaleTimestamp() {
    String old = Long.toString(NOW.getEpochSecond() - 301);

    assertEquals(Result.STALE_TIMESTAMP, verifier.verify(keys.sign(old, BODY), old, BODY));
  }

  @Test
  void rejectsTimestampFromTheFuture() {
    String future = Long.toString(NOW.getEpochSecond() + 301);

    assertEquals(Result.STALE_TIMESTAMP, verifier.verify(keys.sign(future, BODY), future, BODY));
  }

  @Test
  void acceptsTimestampAtTheEdgeOfTheWindow() {
    String past = Long.toString(NOW.getEpochSecond() - 300);
    String future = Long.toString(NOW.getEpochSecond() + 300);

    assertEquals(Result.VALID, verifier.verify(keys.sign(past, BODY), past, BODY));
    assertEquals(Result.VALID, verifier.verify(keys.sign(future, BODY), future, BODY));
  }

  @Test
  void agreesWithJdkProviderOnJdkSignedMessages() throws Exception {
    KeyPair jdkKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    // The last 32 bytes of the X.509 encoding are the raw public key.
    byte[] encoded = jdkKeys.getPublic().getEncoded();
    String rawPublic = HEX.formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(jdkKeys.getPrivate());
    signer.update(TIMESTAMP.getBytes(StandardCharsets.UTF_8));
    signer.update(BODY);
    String signature = HEX.formatHex(signer.sign());

    SignatureVerifier jdkKeyVerifier = new SignatureVerifier(rawPublic, Duration.ofSeconds(300), CLOCK);

    assertEquals(Result.VALID, jdkKeyVerifier.verify(signature, TIMESTAMP, BODY));
    assertEquals(Result.BAD_SIGNATURE, jdkKeyVerifier.verify(signature, TIMESTAMP, "{}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void signaturesWeMakeVerifyWithJdkProvider() throws Exception {
    byte[] spki = HEX.parseHex("302a300506032b6570032100" + keys.publicKeyHex());
    PublicKey jdkPublic = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    Signature check = Signature.getInstance("Ed25519");
    check.initVerify(jdkPublic);
    check.update(TIMESTAMP.getBytes(StandardCharsets.UTF_8));
    check.update(BODY);

    assertTrue(check.verify(HEX.parseHex(keys.sign(TIMESTAMP, BODY))));
  }

  /** RFC 8032 §5.1.7: S must be below L. S + L is the same multiple of the base point, so without the check a
   * signature would have a second form that verifies. */
  @Test
  void rejectsMalleableSignatureWhoseSIsNotReduced() {
    byte[] signature = HEX.parseHex(keys.sign(TIMESTAMP, BODY));
    BigInteger s = fromLittleEndian(Arrays.copyOfRange(signature, 32, 64));
    System.arraycopy(toLittleEndian(s.add(L)), 0, signature, 32, 32);

    assertEquals(Result.BAD_SIGNATURE, verifier.verify(HEX.formatHex(signature), TIMESTAMP, BODY));
  }

  /**
   * A signer who adds a point of small order to its nonce point R makes a signature that holds only up to
   * that point. RFC 8032 §5.1.7 lets a verifier check with the cofactor (and accept it) or without (and
   * refuse it). We verify with BouncyCastle, which checks with the cofactor, so we accept it; libsodium,
   * which the Python predecessor used, and the JDK provider refuse it. Only the key's owner can make such
   * a signature, so neither choice helps a forger, and Discord's signatures never have such a part.
   */
  @Test
  void acceptsASignatureWhoseNonceHasASmallOrderPart() throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] seed = new byte[32];
    byte[] nonceSeed = new byte[32];
    random.nextBytes(seed);
    random.nextBytes(nonceSeed);
    Ed25519KeyPair owner = Ed25519KeyPair.fromPrivateKey(seed);
    // R = [r]B, made the way a public key is made, so r is known; then R' = R + (0, -1) = (-x, -y).
    byte[] nonce = Ed25519KeyPair.fromPrivateKey(nonceSeed).publicKey();
    BigInteger r = secretScalar(nonceSeed);
    BigInteger y = fromLittleEndian(nonce).clearBit(255);
    byte[] tilted = toLittleEndian(P.subtract(y));
    if ((nonce[31] & 0x80) == 0) {
      tilted[31] |= (byte) 0x80; // x != 0 for a point of order L, so -x has the other sign
    }
    byte[] message = (TIMESTAMP + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
    sha512.update(tilted);
    sha512.update(owner.publicKey());
    BigInteger k = fromLittleEndian(sha512.digest(message)).mod(L);
    byte[] signature = new byte[64];
    System.arraycopy(tilted, 0, signature, 0, 32);
    System.arraycopy(toLittleEndian(r.add(k.multiply(secretScalar(seed))).mod(L)), 0, signature, 32, 32);
    SignatureVerifier ownerVerifier = new SignatureVerifier(owner.publicKeyHex(), Duration.ofSeconds(300), CLOCK);
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(
        new X509EncodedKeySpec(HEX.parseHex("302a300506032b6570032100" + owner.publicKeyHex()))));
    jdk.update(message);

    assertEquals(Result.VALID, ownerVerifier.verify(HEX.formatHex(signature), TIMESTAMP, BODY), "cofactored, as BouncyCastle");
    assertFalse(jdk.verify(signature), "a cofactorless verifier refuses it");
  }

  @Test
  void rejectsPublicKeyThatIsNotHex() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new SignatureVerifier("x".repeat(64), Duration.ofSeconds(300), CLOCK));

    assertTrue(error.getMessage().contains("not hex"), error.getMessage());
  }

  @Test
  void rejectsPublicKeyOfWrongLength() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new SignatureVerifier("ab".repeat(31), Duration.ofSeconds(300), CLOCK));

    assertTrue(error.getMessage().contains("32 bytes"), error.getMessage());
  }

  @Test
  void rejectsPublicKeyThatIsNotACurvePoint() {
    // y = 2 has no x on edwards25519 (x^2 would be a non-square), so this cannot be a public key.
    String notOnCurve = "02" + "00".repeat(31);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new SignatureVerifier(notOnCurve, Duration.ofSeconds(300), CLOCK));

    assertTrue(error.getMessage().contains("not a valid Ed25519 public key"), error.getMessage());
  }

  @Test
  void rejectsPublicKeyOfSmallOrder() {
    // y = 1 is the neutral element: every "signature" with S = 0 and R = the neutral element would verify.
    String neutral = "01" + "00".repeat(31);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new SignatureVerifier(neutral, Duration.ofSeconds(300), CLOCK));

    assertTrue(error.getMessage().contains("not a valid Ed25519 public key"), error.getMessage());
  }

  private static BigInteger secretScalar(byte[] seed) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    return fromLittleEndian(Arrays.copyOf(h, 32));
  }

  private static BigInteger fromLittleEndian(byte[] bytes) {
    byte[] big = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      big[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, big);
  }

  /** 32 bytes, little-endian, as RFC 8032 encodes field elements and scalars. */
  private static byte[] toLittleEndian(BigInteger value) {
    byte[] big = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < big.length; i++) {
      out[i] = big[big.length - 1 - i];
    }
    return out;
  }
}
