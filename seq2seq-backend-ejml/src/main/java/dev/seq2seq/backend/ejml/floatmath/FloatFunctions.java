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
 *            times 2^k as two normal powers of two (so 2^k underflows and overflows as e^x does)
 *   tanh(x): |x| < 0.55: x + x s P(s), s = x^2, the Taylor series to x^17 (truncation < 3e-9);
 *            else sign(x) (1 - 2 / (exp(2|x|) + 1))
 *   sigmoid: e = exp(-|x|);  1 / (1 + e) for x >= 0, e / (1 + e) below
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
  static final float TANH_SERIES_BELOW = 0.55f;
  /** tanh's Taylor coefficients of x^17 .. x^3, Horner order in x^2. */
  static final float[] TANH_TAYLOR = {6404582f / 10854718875f, -929569f / 638512875f, 21844f / 6081075f,
      -1382f / 155925f, 62f / 2835f, -17f / 315f, 2f / 15f, -1f / 3f};

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
    return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((ki - k1 + 127) << 23);
  }

  static float tanh(float x) {
    float a = Math.abs(x);
    if (a < TANH_SERIES_BELOW) {
      float s = x * x;
      float p = TANH_TAYLOR[0];
      for (int i = 1; i < TANH_TAYLOR.length; i++) {
        p = Math.fma(p, s, TANH_TAYLOR[i]);
      }
      return Math.fma(x * s, p, x);
    }
    float t = 1f - 2f / (exp(2f * a) + 1f);
    return x < 0 ? -t : t;
  }

  static float sigmoid(float x) {
    float e = exp(-Math.abs(x));
    float r = 1f / (1f + e);
    return x < 0 ? e * r : r;
  }
}
