package dev.valine.orchestrator.bench;

import dev.valine.orchestrator.discord.Ed25519KeyPair;
import dev.valine.orchestrator.discord.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Discord signature verification on the same bytes: ours ({@link SignatureVerifier}: header checks, the
 * timestamp + body message and BouncyCastle's rfc8032 verify with the key decoded once), BouncyCastle's
 * verify alone with the same decoded public point (what the header checks and message cost on top), and
 * the JDK provider.
 */
@State(Scope.Benchmark)
// Sample mode reports percentiles: the p0.50 is the median docs/benchmarks.md quotes.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBench {
  private SignatureVerifier verifier;
  private Ed25519.PublicPoint bouncyCastleKey;
  private byte[] message;
  private PublicKey jdkKey;
  private String signatureHex;
  private byte[] signature;
  private String timestamp;
  private byte[] body;

  @Setup
  public void setUp() throws Exception {
    Ed25519KeyPair keys = Ed25519KeyPair.generate(new SecureRandom());
    verifier = new SignatureVerifier(keys.publicKeyHex(), Duration.ofDays(1), Clock.systemUTC());
    jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(
        new X509EncodedKeySpec(HexFormat.of().parseHex("302a300506032b6570032100" + keys.publicKeyHex())));
    timestamp = Long.toString(System.currentTimeMillis() / 1000);
    // A typical slash command body is ~1 KiB.
    body = ("{\"type\":2,\"padding\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8);
    signatureHex = keys.sign(timestamp, body);
    signature = HexFormat.of().parseHex(signatureHex);
    bouncyCastleKey = Ed25519.validatePublicKeyFullExport(HexFormat.of().parseHex(keys.publicKeyHex()), 0);
    message = (timestamp + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public SignatureVerifier.Result ourVerify() {
    return verifier.verify(signatureHex, timestamp, body);
  }

  @Benchmark
  public boolean bouncyCastleVerify() {
    return Ed25519.verify(signature, 0, bouncyCastleKey, message, 0, message.length);
  }

  @Benchmark
  public boolean jdkProviderVerify() throws Exception {
    Signature check = Signature.getInstance("Ed25519");
    check.initVerify(jdkKey);
    check.update(timestamp.getBytes(StandardCharsets.UTF_8));
    check.update(body);
    return check.verify(signature);
  }
}
