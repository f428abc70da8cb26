package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.discord.SignatureVerifier.Result;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link SignatureVerifier} accepts, pinned by vectors nobody here wrote (their source, commit and
 * licence: src/test/resources/vectors/README.md). Each vector goes through the verifier's own key
 * validation (its constructor, as at start-up) and its own signature check ({@code verifySignature}, the
 * hex parsing and verification every request ends in), never through BouncyCastle directly.
 *
 * <p>Two choices make the answers differ from some other libraries, both named below: the key must be a
 * canonical point of prime order, so a key of small or mixed order is refused at start-up rather than per
 * request; and the verification equation is BouncyCastle's cofactored one (RFC 8032 §5.1.7 allows it).
 * With a prime-order key the cofactor only matters for a nonce with a small-order part, which only the
 * key's owner can make: {@code SignatureVerifierTest.acceptsASignatureWhoseNonceHasASmallOrderPart}.
 */
class SignatureVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
  private static final Duration MAX_AGE = Duration.ofSeconds(300);

  private static SignatureVerifier verifier(String publicKeyHex) {
    return new SignatureVerifier(publicKeyHex, MAX_AGE, CLOCK);
  }

  private static JsonNode resource(String name) {
    try (InputStream in = SignatureVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource vectors/" + name);
      }
      return Jackson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- Wycheproof: testvectors_v1/ed25519_test.json ----

  static Stream<Arguments> wycheproof() {
    List<Arguments> vectors = new ArrayList<>();
    for (JsonNode group : resource("ed25519_test.json").path("testGroups")) {
      String publicKey = group.path("publicKey").path("pk").asText();
      for (JsonNode test : group.path("tests")) {
        vectors.add(Arguments.of(test.path("tcId").asInt(), test.path("comment").asText() + " " + test.path("flags"),
            publicKey, test.path("msg").asText(), test.path("sig").asText(), test.path("result").asText()));
      }
    }
    return vectors.stream();
  }

  @Test
  void readsEveryWycheproofVector() {
    JsonNode file = resource("ed25519_test.json");

    assertEquals("EDDSA", file.path("algorithm").asText());
    assertEquals(file.path("numberOfTests").asInt(), wycheproof().count());
    assertEquals(151, wycheproof().count(), "the copy named in vectors/README.md");
  }

  /**
   * Every valid vector is accepted and every invalid one refused: a signature that is not 64 bytes as
   * malformed before any curve arithmetic, any other as a bad signature. Wycheproof has no "acceptable"
   * results for Ed25519, and all its keys are of prime order, so every key is accepted at start-up.
   */
  @ParameterizedTest(name = "tcId {0}: {1}")
  @MethodSource("wycheproof")
  void answersEveryWycheproofVectorAsExpected(int tcId, String what, String publicKey, String msg, String sig, String result) {
    SignatureVerifier verifier = verifier(publicKey);

    Result verdict = verifier.verifySignature(sig, HEX.parseHex(msg));

    Result expected = switch (result) {
      case "valid" -> Result.VALID;
      case "invalid" -> sig.length() == 2 * 64 ? Result.BAD_SIGNATURE : Result.MALFORMED_SIGNATURE;
      default -> throw new AssertionError("unexpected result " + result + " in tcId " + tcId);
    };
    assertEquals(expected, verdict);
  }

  // ---- ed25519-speccheck: cases.json, the 12 cases of its README's condition table ----

  /** What we answer to a speccheck case. */
  enum Answer {
    /** The constructor refuses the key: start-up fails with a configuration error. */
    KEY_REFUSED,
    /** The key is accepted and the signature refused. */
    REFUSED,
    /** The key and the signature are accepted. */
    ACCEPTED
  }

  /**
   * One case: what we answer, what libsodium answers (the "LibSodium" row of the results table in
   * speccheck's README; "Dalek strict", strict cofactorless verification, answers the same on all 12), and
   * why we answer as we do.
   */
  record SpecCase(int index, Answer ours, boolean libsodiumAccepts, String why) {}

  private static final List<SpecCase> SPECCHECK = List.of(
      new SpecCase(0, Answer.KEY_REFUSED, false, "A of small order (and R of small order, S = 0)"),
      new SpecCase(1, Answer.KEY_REFUSED, false, "A of small order"),
      new SpecCase(2, Answer.KEY_REFUSED, false, "A of mixed order (libsodium refuses the small-order R instead)"),
      new SpecCase(3, Answer.KEY_REFUSED, true,
          "A of mixed order. DIFFERS from libsodium and strict cofactorless verifiers, which accept this signature:"
              + " we refuse any key that is not of prime order at start-up, since no real key pair has one"),
      new SpecCase(4, Answer.KEY_REFUSED, false,
          "A of mixed order; a cofactored verifier given this key would accept (the case that tells the two apart)"),
      new SpecCase(5, Answer.KEY_REFUSED, false, "A of mixed order; the case tells pre-reduced cofactored equations apart"),
      new SpecCase(6, Answer.REFUSED, false, "S > L: RFC 8032 §5.1.7 requires S < L, or signatures are malleable"),
      new SpecCase(7, Answer.REFUSED, false, "S >> L, as case 6"),
      new SpecCase(8, Answer.KEY_REFUSED, false, "A of mixed order (and R not canonical, reduced for the hash)"),
      new SpecCase(9, Answer.KEY_REFUSED, false, "A of mixed order (and R not canonical, not reduced for the hash)"),
      new SpecCase(10, Answer.KEY_REFUSED, false, "A not canonical: (0, -1), of order 2, with the sign bit set; reduced for the hash"),
      new SpecCase(11, Answer.KEY_REFUSED, false, "A not canonical, as case 10; not reduced for the hash"));

  static Stream<Arguments> speccheck() {
    JsonNode cases = resource("cases.json");
    return IntStream.range(0, cases.size()).mapToObj(i -> Arguments.of(i, SPECCHECK.get(i), cases.get(i)));
  }

  @ParameterizedTest(name = "case {0}")
  @MethodSource("speccheck")
  void answersEverySpeccheckCaseAsNamed(int index, SpecCase expected, JsonNode vector) {
    String publicKey = vector.path("pub_key").asText();
    byte[] message = HEX.parseHex(vector.path("message").asText());
    String signature = vector.path("signature").asText();

    if (expected.ours() == Answer.KEY_REFUSED) {
      // Start-up stops with the message App turns into a configuration error.
      String error = assertThrows(IllegalArgumentException.class, () -> verifier(publicKey), index + ": " + expected.why()).getMessage();
      assertEquals("DISCORD_PUBLIC_KEY is not a valid Ed25519 public key: check it was copied whole", error);
    } else {
      Result verdict = verifier(publicKey).verifySignature(signature, message);
      assertEquals(expected.ours() == Answer.ACCEPTED ? Result.VALID : Result.BAD_SIGNATURE, verdict, index + ": " + expected.why());
    }
  }

  @Test
  void hasAnAnswerForEachOfTheTwelveSpeccheckCases() {
    assertEquals(12, resource("cases.json").size());
    assertEquals(12, SPECCHECK.size());
    assertEquals(IntStream.range(0, 12).boxed().toList(), SPECCHECK.stream().map(SpecCase::index).toList(), "in the README's order");
  }

  /** The one case where we answer otherwise than libsodium (and the Python predecessor, which used it). */
  @Test
  void differsFromLibsodiumOnlyOnCase3() {
    int[] differing = SPECCHECK.stream()
        .filter(c -> (c.ours() == Answer.ACCEPTED) != c.libsodiumAccepts())
        .mapToInt(SpecCase::index)
        .toArray();

    assertEquals("[3]", Arrays.toString(differing));
  }
}
