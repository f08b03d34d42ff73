package dev.seq2seq.backend.ejml;

/**
 * Float row sums in double on four independent accumulators, combined as
 * {@code (s0 + s1) + (s2 + s3)}: one chain of dependent double additions costs ~4 cycles an
 * element, four chains ~1 (softmax denominators, sums over a reduction's last axis). The order is
 * fixed, so results are reproducible, but they differ in the last bits from a left-to-right sum.
 */
final class Sums {
  private Sums() {}

  /** {@code v[from] + ... + v[from + n - 1]} in double. */
  static double sum(float[] v, int from, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = from;
    int end = from + n;
    for (; j + 3 < end; j += 4) {
      s0 += v[j];
      s1 += v[j + 1];
      s2 += v[j + 2];
      s3 += v[j + 3];
    }
    for (; j < end; j++) {
      s0 += v[j];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
