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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Discord signature verification: ours (BouncyCastle rfc8032) against the JDK provider on the same bytes. */
@State(Scope.Benchmark)
// Sample mode reports percentiles: the p0.50 is the median docs/benchmarks.md quotes.
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBench {
  private SignatureVerifier verifier;
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
  }

  @Benchmark
  public SignatureVerifier.Result bouncyCastleVerify() {
    return verifier.verify(signatureHex, timestamp, body);
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
