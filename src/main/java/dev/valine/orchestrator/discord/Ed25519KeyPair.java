package dev.valine.orchestrator.discord;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair that signs requests the way Discord does. Used by {@code keygen}, by {@code serve}
 * for its dev key and by {@code invoke} to sign what it sends; never used to sign anything in Lambda.
 * {@code toString} hides the private key.
 */
public record Ed25519KeyPair(byte[] privateKey, byte[] publicKey) {

  public Ed25519KeyPair {
    if (privateKey.length != Ed25519.SECRET_KEY_SIZE || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 key pair has a 32-byte private and a 32-byte public key");
    }
    privateKey = privateKey.clone();
    publicKey = publicKey.clone();
  }

  public static Ed25519KeyPair generate(SecureRandom random) {
    byte[] privateKey = new byte[Ed25519.SECRET_KEY_SIZE];
    Ed25519.generatePrivateKey(random, privateKey);
    return fromPrivateKey(privateKey);
  }

  public static Ed25519KeyPair fromPrivateKey(byte[] privateKey) {
    if (privateKey.length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 private key is 32 bytes (64 hex characters), got " + privateKey.length + " bytes");
    }
    byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
    return new Ed25519KeyPair(privateKey, publicKey);
  }

  /**
   * @throws IllegalArgumentException if the text is not 64 hex characters
   */
  public static Ed25519KeyPair fromPrivateKeyHex(String hex) {
    try {
      return fromPrivateKey(HexFormat.of().parseHex(hex.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the private key must be 64 hex characters (as printed by keygen)", e);
    }
  }

  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  public String privateKeyHex() {
    return HexFormat.of().formatHex(privateKey);
  }

  /** The hex signature Discord would send in {@code X-Signature-Ed25519} for this timestamp and body. */
  public String sign(String timestamp, byte[] body) {
    byte[] message = SignedMessage.of(timestamp, body);
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(privateKey, 0, message, 0, message.length, signature, 0);
    return HexFormat.of().formatHex(signature);
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ed25519KeyPair pair && java.util.Arrays.equals(pair.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[public=" + publicKeyHex() + ", private=***REDACTED***]";
  }
}
