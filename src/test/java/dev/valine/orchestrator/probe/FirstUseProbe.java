package dev.valine.orchestrator.probe;

import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.discord.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * What one step costs the first time a fresh JVM does it: the choices behind the cold path in
 * docs/benchmarks.md. Usage: {@code FirstUseProbe <step> [public key, timestamp, signature]}, one step
 * per JVM, printing one {@code PROBE} line; {@code bench/first-use.sh} runs each in fresh JVMs on one
 * pinned CPU with Lambda's JIT flags. The verifier steps take a signature made by {@code FirstUseProbe
 * sign} in another JVM, so that signing warms up nothing they measure.
 *
 * <ul>
 *   <li>{@code sha512-bouncycastle}, {@code sha512-jdk}: the first SHA-512 of 300 bytes</li>
 *   <li>{@code string-format}: the first {@code String.format} with a number</li>
 *   <li>{@code verifier-ours}: building {@link SignatureVerifier} and its first real verification</li>
 *   <li>{@code verifier-bouncycastle}: BouncyCastle's key validation and its first verification</li>
 * </ul>
 */
public final class FirstUseProbe {
  private FirstUseProbe() {}

  public static void main(String[] args) throws Exception {
    String step = args[0];
    byte[] data = new byte[300];
    if (step.equals("sign")) {
      Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      System.out.println(keys.publicKeyHex() + " " + timestamp + " " + keys.sign(timestamp, data));
      return;
    }
    String publicKey = args.length > 3 ? args[1] : null;
    String timestamp = args.length > 3 ? args[2] : null;
    String signature = args.length > 3 ? args[3] : null;
    long started = System.nanoTime();
    Object result = switch (step) {
      case "sha512-bouncycastle" -> {
        SHA512Digest digest = new SHA512Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[64];
        digest.doFinal(out, 0);
        yield out[0];
      }
      case "sha512-jdk" -> MessageDigest.getInstance("SHA-512").digest(data)[0];
      case "string-format" -> String.format(Locale.ROOT, "%dm %02ds", 3L, 5L);
      case "verifier-ours" -> new SignatureVerifier(publicKey, Duration.ofHours(1), Clock.systemUTC())
          .verify(signature, timestamp, data);
      case "verifier-bouncycastle" -> {
        byte[] message = (timestamp + new String(data, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        byte[] sig = java.util.HexFormat.of().parseHex(signature);
        Ed25519.PublicPoint key = Ed25519.validatePublicKeyFullExport(java.util.HexFormat.of().parseHex(publicKey), 0);
        yield Ed25519.verify(sig, 0, key, message, 0, message.length);
      }
      default -> throw new IllegalArgumentException("unknown step " + step);
    };
    long micros = (System.nanoTime() - started) / 1_000;
    System.out.println("PROBE step=" + step + " first_use_us=" + micros + " result=" + result);
  }
}
