package dev.seq2seq.backend.ejml.floatmath;

import static dev.seq2seq.backend.ejml.floatmath.FloatMath.DOT_LANES;

/**
 * {@link FloatMath#dot} in scalar code: the default, and the order {@link VectorFloatMath}'s lanes
 * reproduce.
 */
final class Dots {
  private Dots() {}

  static float dot(float[] x, int xi, float[] y, int yi, int n) {
    float[] p = new float[DOT_LANES];
    int whole = n - n % DOT_LANES;
    for (int i = 0; i < whole; i += DOT_LANES) {
      for (int l = 0; l < DOT_LANES; l++) {
        p[l] = Math.fma(x[xi + i + l], y[yi + i + l], p[l]);
      }
    }
    for (int half = DOT_LANES / 2; half >= 1; half /= 2) {
      for (int l = 0; l < half; l++) {
        p[l] += p[l + half];
      }
    }
    return tail(p[0], x, xi, y, yi, whole, n);
  }

  /** {@code sum} with the products {@code [from, n)} fused in one by one. */
  static float tail(float sum, float[] x, int xi, float[] y, int yi, int from, int n) {
    for (int i = from; i < n; i++) {
      sum = Math.fma(x[xi + i], y[yi + i], sum);
    }
    return sum;
  }
}
