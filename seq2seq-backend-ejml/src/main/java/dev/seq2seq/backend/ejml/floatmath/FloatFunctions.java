package dev.seq2seq.backend.ejml.floatmath;

/**
 * Float32 {@code exp}, {@code tanh} and {@code sigmoid} from float additions, multiplications and
 * fused multiply-adds only, one element at a time. {@link VectorFloatMath} runs the same operations
 * in the same order on vector lanes, and IEEE arithmetic rounds them alike in every JIT tier, so an
 * element gets the same bits whichever path computes it: runs are reproducible (a lane-wise
 * {@code TANH} is not: the interpreter computes it with {@code Math.tanh}, compiled code with a
 * different library, so results changed with JIT timing).
 *
 * <pre>
 *   exp(x):  x clamped to [-104, 89];  k = round(x log2 e);  r = x - k ln2 (two-part ln2, fma);
 *            e^r by its Taylor polynomial of degree 7 (|r| <= ln2/2: truncation < 6e-9 relative);
 *            times 2^k as two normal powers of two (so 2^k underflows and overflows as e^x does);
 *            a subnormal result is flushed to zero (FloatMath#flushSubnormal)
 *   tanh(x): u = min(2|x|, 20);  k = round(u log2 e);  r = u - k ln2 (as in exp);
 *            m = expm1(r) = r + r^2 Q(r), Q the Taylor polynomial of degree 6 (terms to r^8/8!:
 *            truncation < 2e-8 relative);  e = expm1(u) = 2^k m + (2^k - 1) (one fma);
 *            tanh = sign(x) e / (e + 2)   (no cancellation for small |x|, where k = 0 and e = m;
 *            tanh(10) rounds to 1, so u is clamped at 20 and 2^k is one normal power of two)
 *   sigmoid: e = exp(-|x|);  1 / (1 + e) for x >= 0, e / (1 + e) below, flushed to zero if subnormal
 * </pre>
 */
final class FloatFunctions {
  private FloatFunctions() {}

  static final float EXP_MIN = -104f;
  static final float EXP_MAX = 89f;
  static final float LOG2E = 1.44269504f;
  /** Adding and subtracting it rounds a float below 2^22 to the nearest integer. */
  static final float ROUND = 12582912f;
  /**
   * The bits of {@link #ROUND}: for an integer |k| < 2^22 the float {@code ROUND + k} is exact and its
   * bits are {@code ROUND_BITS + k}, so k is read from the bits without a conversion.
   */
  static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
  /** ln 2 in two parts; the first has few enough bits that {@code k * LN2_HI} is exact for |k| <= 150. */
  static final float LN2_HI = 0.693145751953125f;
  static final float LN2_LO = 1.428606765330187e-06f;
  /** 1/n! for n = 7 .. 0, Horner order. */
  static final float[] EXP_TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};
  /** The largest {@code 2|x|} tanh works with: {@code tanh(x)} is 1 in float32 from {@code |x| = 9.01}. */
  static final float TANH_U_MAX = 20f;
  /** 1/n! for n = 8 .. 2, Horner order: {@code expm1(r) = r + r^2 Q(r)}. */
  static final float[] EXPM1_TAYLOR = {1f / 40320, 1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f};

  static float exp(float x) {
    float c = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    float y = c * LOG2E + ROUND;
    float k = y - ROUND;
    float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, c));
    float p = EXP_TAYLOR[0];
    for (int i = 1; i < EXP_TAYLOR.length; i++) {
      p = Math.fma(p, r, EXP_TAYLOR[i]);
    }
    int ki = Float.floatToRawIntBits(y) - ROUND_BITS;
    int k1 = ki >> 1;
    return FloatMath.flushSubnormal(p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((ki - k1 + 127) << 23));
  }

  static float tanh(float x) {
    float u = Math.min(2f * Math.abs(x), TANH_U_MAX);
    float y = u * LOG2E + ROUND;
    float k = y - ROUND;
    float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, u));
    float q = EXPM1_TAYLOR[0];
    for (int i = 1; i < EXPM1_TAYLOR.length; i++) {
      q = Math.fma(q, r, EXPM1_TAYLOR[i]);
    }
    float m = Math.fma(r * r, q, r);
    float scale = Float.intBitsToFloat((Float.floatToRawIntBits(y) - ROUND_BITS + 127) << 23);
    float e = Math.fma(scale, m, scale - 1f);
    return Math.copySign(e / (e + 2f), x);
  }

  static float sigmoid(float x) {
    float e = exp(-Math.abs(x));
    float r = 1f / (1f + e);
    return x < 0 ? FloatMath.flushSubnormal(e * r) : r;
  }
}
