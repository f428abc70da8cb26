package dev.valine.orchestrator.discord;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Ed25519 signature verification (RFC 8032, cofactorless, as libsodium) for one public key known in
 * advance: Discord's. BouncyCastle's general verify multiplies the signature's own point R, which no
 * table can help with. Here R is never multiplied: the check computes {@code P = [S]B - [k]A} with
 * precomputed tables of multiples of the base point B and of the key A, so it takes only additions,
 * no doublings, and then compares {@code encode(P)} with R byte for byte. About twice as fast as
 * BouncyCastle's verify warm (docs/benchmarks.md, "Warm PING").
 *
 * <p>The field arithmetic is BouncyCastle's ({@link X25519Field}). Verification handles only public
 * data, so nothing here needs to be constant-time. Which signatures are accepted is pinned by
 * {@code FixedKeyEd25519Test} against BouncyCastle on random, tampered and crafted signatures.
 *
 * <p>Tables: for each window position i and each digit m in 1..32, the point {@code m·64^i·P} in the
 * form the mixed addition wants, ((y+x)/2, (y-x)/2, x·y·d): 43 positions × 32 points × 2 bases, 330 KB.
 * A scalar is written in signed base-64 digits, so a verification is at most 86 additions. Windows of
 * 5 and 7 bits measured 20% slower and no faster (docs/benchmarks.md). The key's table is built with
 * the verifier, the base point's on first use: cold, key validation, tables and the first verification
 * take what BouncyCastle's first verification takes (~70 ms on one CPU, {@code bench/first-use.sh}).
 */
final class FixedKeyEd25519 {
  static final int WINDOW = 6;
  private static final int HALF = 1 << (WINDOW - 1);
  // Scalars are below L < 2^253; signed digits may carry one more bit.
  private static final int POSITIONS = (254 + WINDOW - 1) / WINDOW;
  private static final int FE = X25519Field.SIZE;
  private static final int ENTRY = 3 * FE;

  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final byte[] L_BYTES = littleEndian(L);
  private static final BigInteger D_VALUE = BigInteger.valueOf(-121665).mod(P)
      .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final int[] D = field(D_VALUE);
  private static final int[] HALF_ONE = field(BigInteger.TWO.modInverse(P));
  private static final BigInteger BASE_Y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
  private static final BigInteger BASE_X = new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202");

  private static final class BaseTable {
    static final int[] TABLE = table(field(BASE_X), field(BASE_Y));
  }

  private final byte[] publicKey;
  private final int[] negatedKeyTable;

  /**
   * @param publicKey the 32-byte encoding of a key already validated (on the curve, not of small order)
   * @throws IllegalArgumentException if the encoding is not a point
   */
  FixedKeyEd25519(byte[] publicKey) {
    this.publicKey = publicKey.clone();
    int[] y = X25519Field.create();
    int[] x = X25519Field.create();
    if (!decompress(publicKey, x, y)) {
      throw new IllegalArgumentException("not an Ed25519 point");
    }
    X25519Field.negate(x, x);
    X25519Field.normalize(x);
    this.negatedKeyTable = table(x, y);
  }

  /** Whether {@code signature} (R ‖ S, 64 bytes) is this key's signature of {@code message}. */
  boolean verify(byte[] signature, byte[] message) {
    if (signature.length != 64) {
      return false;
    }
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    if (!belowL(s)) {
      return false; // RFC 8032 §5.1.7: S must be below L, or signatures become malleable
    }
    MessageDigest sha512 = sha512();
    sha512.update(signature, 0, 32);
    sha512.update(publicKey);
    byte[] hash = sha512.digest(message);
    byte[] k = littleEndian(new BigInteger(1, reversed(hash)).mod(L));

    Accumulator sum = new Accumulator();
    sum.addMultiple(BaseTable.TABLE, digits(s));
    sum.addMultiple(negatedKeyTable, digits(k));
    byte[] r = sum.encode();
    return Arrays.equals(r, 0, 32, signature, 0, 32);
  }

  /**
   * The JDK's SHA-512, not BouncyCastle's: BouncyCastle's digests first start its services registrar
   * (java.util.logging, security properties), 51 ms against the JDK's 35 ms for the first hash of a cold
   * PING on one CPU ({@code bench/first-use.sh}).
   */
  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-512", e);
    }
  }

  /** The encoding of [scalar]B; for tests, which check the tables against BouncyCastle's key generation. */
  static byte[] multiplyBase(BigInteger scalar) {
    Accumulator product = new Accumulator();
    product.addMultiple(BaseTable.TABLE, digits(littleEndian(scalar.mod(L))));
    return product.encode();
  }

  /** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, x·y = T/Z, with scratch space. */
  private static final class Accumulator {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();
    private final int[] a = X25519Field.create();
    private final int[] b = X25519Field.create();
    private final int[] c = X25519Field.create();
    private final int[] e = X25519Field.create();
    private final int[] f = X25519Field.create();
    private final int[] g = X25519Field.create();
    private final int[] h = X25519Field.create();
    private final int[] q1 = X25519Field.create();
    private final int[] q2 = X25519Field.create();
    private final int[] q3 = X25519Field.create();

    Accumulator() {
      X25519Field.one(y);
      X25519Field.one(z);
    }

    /** Adds Σ digit[i]·64^i·P, reading m·64^i·P from the table. */
    void addMultiple(int[] table, int[] digits) {
      for (int i = 0; i < POSITIONS; i++) {
        int digit = digits[i];
        if (digit != 0) {
          int entry = (i * HALF + Math.abs(digit) - 1) * ENTRY;
          System.arraycopy(table, entry, q1, 0, FE);
          System.arraycopy(table, entry + FE, q2, 0, FE);
          System.arraycopy(table, entry + 2 * FE, q3, 0, FE);
          addPrecomputed(digit < 0);
        }
      }
    }

    /**
     * this += ±Q for Q = ((y+x)/2, (y-x)/2, x·y·d) in q1, q2, q3: the unified twisted Edwards
     * addition (a = -1) with every intermediate halved, which saves doubling Z. -Q is (-x, y).
     */
    private void addPrecomputed(boolean negate) {
      X25519Field.apm(y, x, b, a);                 // b = Y+X, a = Y-X
      X25519Field.mul(a, negate ? q1 : q2, a);     // A = (Y-X)·(y-x)/2
      X25519Field.mul(b, negate ? q2 : q1, b);     // B = (Y+X)·(y+x)/2
      X25519Field.mul(t, q3, c);                   // C = T·x·y·d, or -C for -Q
      X25519Field.apm(b, a, h, e);                 // H = B+A, E = B-A
      if (negate) {
        X25519Field.apm(z, c, f, g);               // G = Z-C, F = Z+C
      } else {
        X25519Field.apm(z, c, g, f);               // G = Z+C, F = Z-C
      }
      X25519Field.carry(f);
      X25519Field.carry(g);
      X25519Field.mul(e, f, x);
      X25519Field.mul(g, h, y);
      X25519Field.mul(e, h, t);
      X25519Field.mul(f, g, z);
    }

    /** The 32-byte encoding: y, with the sign of x in the top bit. */
    byte[] encode() {
      int[] inverse = X25519Field.create();
      X25519Field.invVar(z, inverse);
      X25519Field.mul(x, inverse, a);
      X25519Field.mul(y, inverse, b);
      X25519Field.normalize(a);
      X25519Field.normalize(b);
      byte[] out = new byte[32];
      X25519Field.encode(b, out, 0);
      out[31] |= (byte) ((a[0] & 1) << 7);
      return out;
    }
  }

  /** Signed base-2^WINDOW digits in [-31, 32], least significant first, of a 32-byte little-endian scalar below 2^253. */
  static int[] digits(byte[] scalar) {
    int[] digits = new int[POSITIONS];
    int carry = 0;
    for (int i = 0; i < POSITIONS; i++) {
      int bit = i * WINDOW;
      int bytes = (scalar[bit >>> 3] & 0xff) | (bit / 8 + 1 < 32 ? (scalar[bit / 8 + 1] & 0xff) << 8 : 0);
      int value = ((bytes >>> (bit & 7)) & ((1 << WINDOW) - 1)) + carry;
      carry = value > HALF ? 1 : 0;
      digits[i] = value - (carry << WINDOW);
    }
    if (carry != 0) {
      throw new IllegalArgumentException("scalar too large for " + POSITIONS + " digits");
    }
    return digits;
  }

  /** Whether a 32-byte little-endian number is below the group order L. */
  private static boolean belowL(byte[] scalar) {
    for (int i = 31; i >= 0; i--) {
      int a = scalar[i] & 0xff;
      int b = L_BYTES[i] & 0xff;
      if (a != b) {
        return a < b;
      }
    }
    return false;
  }

  /**
   * For each position i and m in 1..32: m·64^i·(x, y) as ((y+x)/2, (y-x)/2, x·y·d), normalized. Works
   * in flat arrays and one set of scratch elements: building two tables once allocated megabytes of
   * short-lived arrays, which stay resident until the first garbage collection of a cold start.
   */
  private static int[] table(int[] px, int[] py) {
    int count = POSITIONS * HALF;
    int[] xs = new int[count * FE];
    int[] ys = new int[count * FE];
    int[] zs = new int[count * FE];
    PointAdder adder = new PointAdder();
    int[][] base = {px.clone(), py.clone(), X25519Field.create(), X25519Field.create()};
    X25519Field.one(base[2]);
    X25519Field.mul(px, py, base[3]);
    int[][] multiple = {X25519Field.create(), X25519Field.create(), X25519Field.create(), X25519Field.create()};
    for (int i = 0; i < POSITIONS; i++) {
      for (int c = 0; c < 4; c++) {
        X25519Field.copy(base[c], 0, multiple[c], 0);
      }
      for (int m = 1; m <= HALF; m++) {
        int at = (i * HALF + m - 1) * FE;
        X25519Field.copy(multiple[0], 0, xs, at);
        X25519Field.copy(multiple[1], 0, ys, at);
        X25519Field.copy(multiple[2], 0, zs, at);
        if (m < HALF) {
          adder.add(multiple, base, multiple);
        }
      }
      // 64^(i+1)·P = 2·(32·64^i·P)
      adder.add(multiple, multiple, base);
    }
    invertAll(zs, count);
    int[] table = new int[count * ENTRY];
    int[] x = X25519Field.create();
    int[] y = X25519Field.create();
    int[] z = X25519Field.create();
    int[] v = X25519Field.create();
    for (int index = 0; index < count; index++) {
      X25519Field.copy(zs, index * FE, z, 0);
      X25519Field.copy(xs, index * FE, v, 0);
      X25519Field.mul(v, z, x);
      X25519Field.copy(ys, index * FE, v, 0);
      X25519Field.mul(v, z, y);
      X25519Field.add(y, x, v);
      X25519Field.mul(v, HALF_ONE, v);
      X25519Field.normalize(v);
      X25519Field.copy(v, 0, table, index * ENTRY);
      X25519Field.sub(y, x, v);
      X25519Field.mul(v, HALF_ONE, v);
      X25519Field.normalize(v);
      X25519Field.copy(v, 0, table, index * ENTRY + FE);
      X25519Field.mul(x, y, v);
      X25519Field.mul(v, D, v);
      X25519Field.normalize(v);
      X25519Field.copy(v, 0, table, index * ENTRY + 2 * FE);
    }
    return table;
  }

  /** Full additions of points in extended coordinates (X, Y, Z, T), with scratch space of its own. */
  private static final class PointAdder {
    private final int[] a = X25519Field.create();
    private final int[] b = X25519Field.create();
    private final int[] c = X25519Field.create();
    private final int[] d = X25519Field.create();
    private final int[] e = X25519Field.create();
    private final int[] f = X25519Field.create();
    private final int[] g = X25519Field.create();
    private final int[] h = X25519Field.create();
    private final int[] u = X25519Field.create();
    private final int[] v = X25519Field.create();

    /** r = p + q (add-2008-hwcd-3, a = -1, k = 2d); p and q may be equal, and r may be either. */
    void add(int[][] p, int[][] q, int[][] r) {
      X25519Field.sub(p[1], p[0], u);
      X25519Field.sub(q[1], q[0], v);
      X25519Field.mul(u, v, a);
      X25519Field.add(p[1], p[0], u);
      X25519Field.add(q[1], q[0], v);
      X25519Field.mul(u, v, b);
      X25519Field.mul(p[3], q[3], c);
      X25519Field.mul(c, D, c);
      X25519Field.add(c, c, c);
      X25519Field.carry(c);
      X25519Field.mul(p[2], q[2], d);
      X25519Field.add(d, d, d);
      X25519Field.carry(d);
      X25519Field.sub(b, a, e);
      X25519Field.sub(d, c, f);
      X25519Field.add(d, c, g);
      X25519Field.add(b, a, h);
      X25519Field.carry(e);
      X25519Field.carry(f);
      X25519Field.carry(g);
      X25519Field.carry(h);
      // Every read of p and q is above this line, so r may be one of them.
      X25519Field.mul(e, f, r[0]);
      X25519Field.mul(g, h, r[1]);
      X25519Field.mul(f, g, r[2]);
      X25519Field.mul(e, h, r[3]);
    }
  }

  /** Replaces each of the {@code count} elements in {@code zs} by its inverse, with one field inversion (Montgomery's trick). */
  private static void invertAll(int[] zs, int count) {
    int[] prefix = new int[count * FE];
    int[] running = X25519Field.create();
    int[] z = X25519Field.create();
    X25519Field.one(running);
    for (int i = 0; i < count; i++) {
      X25519Field.copy(zs, i * FE, z, 0);
      X25519Field.mul(running, z, running);
      X25519Field.copy(running, 0, prefix, i * FE);
    }
    int[] inverse = X25519Field.create();
    X25519Field.invVar(running, inverse);
    int[] before = X25519Field.create();
    int[] result = X25519Field.create();
    for (int i = count - 1; i >= 0; i--) {
      X25519Field.copy(zs, i * FE, z, 0);
      if (i > 0) {
        X25519Field.copy(prefix, (i - 1) * FE, before, 0);
        X25519Field.mul(inverse, before, result);
        X25519Field.mul(inverse, z, inverse);
      } else {
        X25519Field.copy(inverse, 0, result, 0);
      }
      X25519Field.copy(result, 0, zs, i * FE);
    }
  }

  /** x from y and the sign bit: x² = (y² - 1)/(d·y² + 1). */
  private static boolean decompress(byte[] encoded, int[] x, int[] y) {
    X25519Field.decode(encoded, 0, y);
    int[] u = X25519Field.create();
    int[] v = X25519Field.create();
    X25519Field.sqr(y, u);
    X25519Field.mul(D, u, v);
    X25519Field.subOne(u);
    X25519Field.addOne(v);
    if (!X25519Field.sqrtRatioVar(u, v, x)) {
      return false;
    }
    X25519Field.normalize(x);
    if (((encoded[31] >>> 7) & 1) != (x[0] & 1)) {
      X25519Field.negate(x, x);
      X25519Field.normalize(x);
    }
    X25519Field.normalize(y);
    return true;
  }

  private static int[] field(BigInteger value) {
    int[] element = X25519Field.create();
    X25519Field.decode(littleEndian(value), 0, element);
    return element;
  }

  /** The 32-byte little-endian form of a number below 2^256. */
  static byte[] littleEndian(BigInteger value) {
    byte[] bigEndian = value.toByteArray();
    byte[] little = new byte[32];
    for (int i = 0; i < Math.min(32, bigEndian.length); i++) {
      little[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return little;
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }
}
