package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * Our fixed-key verifier accepts exactly what BouncyCastle's verify accepts: RFC 8032's test vectors,
 * thousands of random signatures and their tampered copies, and crafted malformed ones. The one
 * deliberate difference (we check without the cofactor, as libsodium; BouncyCastle with it) is pinned
 * by its own test.
 */
class FixedKeyEd25519Test {
  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private final Random random = new Random(20261128);

  private static boolean bouncyCastle(byte[] publicKey, byte[] signature, byte[] message) {
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  @Test
  void acceptsRfc8032TestVectors() {
    String[][] vectors = {
        {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"}};
    for (String[] vector : vectors) {
      byte[] key = HEX.parseHex(vector[0]);
      byte[] message = HEX.parseHex(vector[1]);
      byte[] signature = HEX.parseHex(vector[2]);

      assertTrue(bouncyCastle(key, signature, message), "the vector as remembered: " + vector[0]);
      assertTrue(new FixedKeyEd25519(key).verify(signature, message), vector[0]);
    }
  }

  @Test
  void signedDigitsAddUpToTheScalar() {
    for (int i = 0; i < 2_000; i++) {
      BigInteger scalar = i == 0 ? FixedKeyEd25519.L.subtract(BigInteger.ONE) : new BigInteger(253, random).mod(FixedKeyEd25519.L);
      int[] digits = FixedKeyEd25519.digits(FixedKeyEd25519.littleEndian(scalar));

      BigInteger sum = BigInteger.ZERO;
      for (int position = digits.length - 1; position >= 0; position--) {
        int half = 1 << (FixedKeyEd25519.WINDOW - 1);
        assertTrue(digits[position] > -half && digits[position] <= half, "digit " + digits[position]);
        sum = sum.shiftLeft(FixedKeyEd25519.WINDOW).add(BigInteger.valueOf(digits[position]));
      }
      assertEquals(scalar, sum);
    }
  }

  @Test
  void itsBaseTableAgreesWithBouncyCastlesKeyGeneration() throws Exception {
    for (int i = 0; i < 50; i++) {
      byte[] seed = bytes(32);
      byte[] publicKey = new byte[32];
      Ed25519.generatePublicKey(seed, 0, publicKey, 0);

      assertArrayEquals(publicKey, FixedKeyEd25519.multiplyBase(secretScalar(seed)));
    }
  }

  @Test
  void agreesWithBouncyCastleOnRandomAndTamperedSignatures() {
    for (int i = 0; i < 300; i++) {
      byte[] seed = bytes(32);
      byte[] publicKey = new byte[32];
      Ed25519.generatePublicKey(seed, 0, publicKey, 0);
      FixedKeyEd25519 verifier = new FixedKeyEd25519(publicKey);
      for (int j = 0; j < 10; j++) {
        byte[] message = bytes(random.nextInt(1200));
        byte[] signature = new byte[64];
        Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);

        assertTrue(verifier.verify(signature, message));

        byte[] forged = signature.clone();
        forged[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        assertEquals(bouncyCastle(publicKey, forged, message), verifier.verify(forged, message), HEX.formatHex(forged));
        assertFalse(verifier.verify(forged, message), "a flipped bit");
        if (message.length > 0) {
          byte[] changed = message.clone();
          changed[random.nextInt(changed.length)] ^= 1;
          assertFalse(verifier.verify(signature, changed), "a changed message");
        }
        assertFalse(verifier.verify(signature, (new String(message, StandardCharsets.ISO_8859_1) + " ").getBytes(StandardCharsets.ISO_8859_1)));
      }
    }
  }

  @Test
  void refusesAMalleableSignatureWhoseSIsNotReduced() {
    byte[] seed = bytes(32);
    byte[] publicKey = new byte[32];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    byte[] message = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] signature = new byte[64];
    Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
    BigInteger s = littleEndian(Arrays.copyOfRange(signature, 32, 64));
    byte[] malleable = signature.clone();
    // S + L is the same point multiple, and still fits in 32 bytes; RFC 8032 requires S < L.
    System.arraycopy(FixedKeyEd25519.littleEndian(s.add(FixedKeyEd25519.L)), 0, malleable, 32, 32);

    assertFalse(bouncyCastle(publicKey, malleable, message));
    assertFalse(new FixedKeyEd25519(publicKey).verify(malleable, message));
  }

  @Test
  void agreesWithBouncyCastleOnMalformedPointsAndLengths() {
    byte[] seed = bytes(32);
    byte[] publicKey = new byte[32];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    FixedKeyEd25519 verifier = new FixedKeyEd25519(publicKey);
    byte[] message = bytes(100);
    byte[] signature = new byte[64];
    Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
    byte[][] rs = {
        FixedKeyEd25519.littleEndian(P),                                   // y = p: not canonical
        FixedKeyEd25519.littleEndian(P.add(BigInteger.ONE)),               // y = p + 1: another name for 1
        withSignBit(FixedKeyEd25519.littleEndian(BigInteger.ONE)),         // x = 0 with the sign bit set
        FixedKeyEd25519.littleEndian(BigInteger.ONE),                      // the neutral element
        FixedKeyEd25519.littleEndian(P.subtract(BigInteger.ONE)),          // (0, -1), of order 2
        new byte[32]};
    for (byte[] r : rs) {
      byte[] crafted = signature.clone();
      System.arraycopy(r, 0, crafted, 0, 32);
      assertEquals(bouncyCastle(publicKey, crafted, message), verifier.verify(crafted, message), HEX.formatHex(r));
      assertFalse(verifier.verify(crafted, message), HEX.formatHex(r));
    }
    for (int i = 0; i < 200; i++) {
      byte[] crafted = signature.clone();
      System.arraycopy(bytes(32), 0, crafted, 0, 32);
      assertEquals(bouncyCastle(publicKey, crafted, message), verifier.verify(crafted, message));
    }
    assertFalse(verifier.verify(Arrays.copyOf(signature, 63), message));
    assertFalse(verifier.verify(Arrays.copyOf(signature, 65), message));
  }

  /**
   * A signer who adds a point of small order to its nonce point makes a signature that holds only up
   * to that point. RFC 8032 allows verifiers to accept it (cofactored, BouncyCastle) or not
   * (cofactorless, libsodium, which the Python predecessor used). We do not. Only the key's owner can
   * make one, so neither choice helps a forger, and Discord's signatures never have such a part.
   */
  @Test
  void refusesASignatureWhoseNonceHasASmallOrderPart() throws Exception {
    byte[] seed = bytes(32);
    byte[] publicKey = new byte[32];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    BigInteger a = secretScalar(seed);
    BigInteger r = new BigInteger(250, random);
    byte[] nonce = FixedKeyEd25519.multiplyBase(r);
    // R' = [r]B + (0, -1) = (-x, -y)
    BigInteger y = littleEndian(nonce).clearBit(255);
    byte[] tilted = FixedKeyEd25519.littleEndian(P.subtract(y));
    if ((nonce[31] & 0x80) == 0) {
      tilted = withSignBit(tilted);
    }
    byte[] message = "{\"type\":1}".getBytes(StandardCharsets.UTF_8);
    MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
    sha512.update(tilted);
    sha512.update(publicKey);
    BigInteger k = littleEndian(sha512.digest(message)).mod(FixedKeyEd25519.L);
    byte[] signature = new byte[64];
    System.arraycopy(tilted, 0, signature, 0, 32);
    System.arraycopy(FixedKeyEd25519.littleEndian(r.add(k.multiply(a)).mod(FixedKeyEd25519.L)), 0, signature, 32, 32);

    assertTrue(bouncyCastle(publicKey, signature, message), "valid up to the small-order part: BouncyCastle checks with the cofactor");
    assertFalse(new FixedKeyEd25519(publicKey).verify(signature, message), "we check without it, as libsodium and the Python predecessor");
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static BigInteger secretScalar(byte[] seed) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    return littleEndian(Arrays.copyOf(h, 32));
  }

  private static BigInteger littleEndian(byte[] bytes) {
    byte[] big = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      big[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, big);
  }

  private static byte[] withSignBit(byte[] encoded) {
    byte[] out = encoded.clone();
    out[31] |= (byte) 0x80;
    return out;
  }
}
