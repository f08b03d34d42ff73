package dev.seq2seq.backend.ejml.floatmath;

import static dev.seq2seq.backend.ejml.floatmath.FloatMath.DOT_LANES;

/**
 * {@link FloatMath#sumDoubles} and {@link FloatMath#dotDoubles} in scalar code: the default, and the
 * order {@link VectorFloatMath}'s lanes reproduce. {@link FloatMath#DOT_LANES} partial sums, sum
 * {@code l} over {@code i = l, l + 16, ...} up to the last whole 16, folded in halves
 * ({@code p[l] + p[l + 8]}, then 4, 2, 1 apart), then the remaining elements added one by one.
 * Products are rounded before they are added (no fused multiply-add).
 */
final class DoubleSums {
  private DoubleSums() {}

  static double sum(double[] v, int n) {
    double[] p = new double[DOT_LANES];
    int whole = n - n % DOT_LANES;
    for (int i = 0; i < whole; i += DOT_LANES) {
      for (int l = 0; l < DOT_LANES; l++) {
        p[l] += v[i + l];
      }
    }
    return sumTail(fold(p), v, whole, n);
  }

  static double dot(double[] a, double[] b, int n) {
    double[] p = new double[DOT_LANES];
    int whole = n - n % DOT_LANES;
    for (int i = 0; i < whole; i += DOT_LANES) {
      for (int l = 0; l < DOT_LANES; l++) {
        p[l] += a[i + l] * b[i + l];
      }
    }
    return dotTail(fold(p), a, b, whole, n);
  }

  /** The partial sums {@code p[0..16)} folded in halves, in place; returns the total. */
  static double fold(double[] p) {
    for (int half = DOT_LANES / 2; half >= 1; half /= 2) {
      for (int l = 0; l < half; l++) {
        p[l] += p[l + half];
      }
    }
    return p[0];
  }

  /** {@code sum} with {@code v[from, n)} added one by one. */
  static double sumTail(double sum, double[] v, int from, int n) {
    for (int i = from; i < n; i++) {
      sum += v[i];
    }
    return sum;
  }

  /** {@code sum} with the products {@code a[i] * b[i]}, {@code i} in {@code [from, n)}, added one by one. */
  static double dotTail(double sum, double[] a, double[] b, int from, int n) {
    for (int i = from; i < n; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
