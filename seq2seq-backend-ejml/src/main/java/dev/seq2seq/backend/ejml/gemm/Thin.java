package dev.seq2seq.backend.ejml.gemm;

import jdk.incubator.vector.FloatVector;

/**
 * The unpacked path for degenerate products, where packing into MR x NR tiles
 * would mostly multiply padding: outer products ({@code k = 1}), matrix-vector products
 * ({@code n = 1}) and vector-matrix products with B stored {@code n x k} ({@code m = 1}), as in
 * attention scores over a batch.
 *
 * <p>Outer products writing at least {@link VectorGemm#PARALLEL_MATRIX_ELEMENTS} of C are split over
 * threads by {@link VectorGemm} (memory-bound: Bahdanau attention's score gradient, 1280 x 256, took
 * ~240 us on one thread in scalar code).
 *
 * <p>Every element of C is rounded exactly as {@link Blocking} rounds it: a fused multiply-add chain
 * over {@code p} from 0 within each {@link Blocking#KC}-deep slice, the slices' sums added to C in
 * order. So results are bit-identical to the packed path.
 */
final class Thin {
  private Thin() {}

  /** Whether {@link #compute} handles a product of this shape. */
  static boolean handles(boolean transB, int m, int n, int k) {
    return k == 1 || n == 1 || (m == 1 && transB);
  }

  /** {@code C = op(A) op(B)} for a shape {@link #handles} accepts. */
  static void compute(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (k == 1) {
      outer(m, n, a, aOff, b, bOff, c, cOff); // A is m x 1 and B 1 x n in either layout
    } else if (n == 1 && transA) {
      // B is a k-vector in either layout; column i of A^T starts at i, stride m.
      for (int i = 0; i < m; i++) {
        c[cOff + i] = dot(a, aOff + i, m, b, bOff, k);
      }
    } else if (n == 1) {
      // B is a k-vector in either layout; row i of A starts at i * k: the rows' dots with B.
      dots(b, bOff, a, aOff, k, m, c, cOff);
    } else {
      // m == 1 with B stored n x k: A is a k-vector in either layout, column j of op(B) is row j of B.
      dots(a, aOff, b, bOff, k, n, c, cOff);
    }
  }

  /**
   * Columns {@code [n0, n1)} of a vector-matrix product with B stored {@code n x k}
   * ({@code m == 1}, {@code transB}): the share of one thread, bit-identical whatever the split.
   */
  static void vectorTimesRows(int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n0, int n1) {
    dots(a, aOff, b, bOff + n0 * k, k, n1 - n0, c, cOff + n0);
  }

  /** {@code c[ci + r] = x . y[yi + r * k ..]} for {@code r < rows}: the dots of one vector with consecutive rows. */
  private static void dots(float[] x, int xi, float[] y, int yi, int k, int rows, float[] c, int ci) {
    int r = 0;
    for (; r + 8 <= rows; r += 8) {
      dot8(x, xi, y, yi + r * k, k, c, ci + r);
    }
    for (; r + 4 <= rows; r += 4) {
      dot4(x, xi, y, yi + r * k, k, c, ci + r);
    }
    for (; r < rows; r++) {
      c[ci + r] = dot(x, xi, 1, y, yi + r * k, k);
    }
  }

  /**
   * Four dots at once, {@code c[ci + r] = x . y[yi + r * k ..]} for {@code r < 4}, each rounded as
   * {@link #dot} rounds it (its own fused multiply-add chain, slices of {@link Blocking#KC} summed in
   * order): the four chains are independent, so the processor overlaps their latencies.
   */
  private static void dot4(float[] x, int xi, float[] y, int yi, int k, float[] c, int ci) {
    float t0 = 0f;
    float t1 = 0f;
    float t2 = 0f;
    float t3 = 0f;
    int y1 = yi + k;
    int y2 = yi + 2 * k;
    int y3 = yi + 3 * k;
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      int end = Math.min(k, p0 + Blocking.KC);
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      for (int p = p0; p < end; p++) {
        float v = x[xi + p];
        s0 = Math.fma(v, y[yi + p], s0);
        s1 = Math.fma(v, y[y1 + p], s1);
        s2 = Math.fma(v, y[y2 + p], s2);
        s3 = Math.fma(v, y[y3 + p], s3);
      }
      if (p0 == 0) {
        t0 = s0;
        t1 = s1;
        t2 = s2;
        t3 = s3;
      } else {
        t0 += s0;
        t1 += s1;
        t2 += s2;
        t3 += s3;
      }
    }
    c[ci] = t0;
    c[ci + 1] = t1;
    c[ci + 2] = t2;
    c[ci + 3] = t3;
  }

  /** Eight dots at once, as {@link #dot4}: eight independent chains keep both FMA units busy. */
  private static void dot8(float[] x, int xi, float[] y, int yi, int k, float[] c, int ci) {
    float t0 = 0f;
    float t1 = 0f;
    float t2 = 0f;
    float t3 = 0f;
    float t4 = 0f;
    float t5 = 0f;
    float t6 = 0f;
    float t7 = 0f;
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      int end = Math.min(k, p0 + Blocking.KC);
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      float s4 = 0f;
      float s5 = 0f;
      float s6 = 0f;
      float s7 = 0f;
      for (int p = p0, q = yi + p0; p < end; p++, q++) {
        float v = x[xi + p];
        s0 = Math.fma(v, y[q], s0);
        s1 = Math.fma(v, y[q + k], s1);
        s2 = Math.fma(v, y[q + 2 * k], s2);
        s3 = Math.fma(v, y[q + 3 * k], s3);
        s4 = Math.fma(v, y[q + 4 * k], s4);
        s5 = Math.fma(v, y[q + 5 * k], s5);
        s6 = Math.fma(v, y[q + 6 * k], s6);
        s7 = Math.fma(v, y[q + 7 * k], s7);
      }
      boolean first = p0 == 0;
      t0 = first ? s0 : t0 + s0;
      t1 = first ? s1 : t1 + s1;
      t2 = first ? s2 : t2 + s2;
      t3 = first ? s3 : t3 + s3;
      t4 = first ? s4 : t4 + s4;
      t5 = first ? s5 : t5 + s5;
      t6 = first ? s6 : t6 + s6;
      t7 = first ? s7 : t7 + s7;
    }
    c[ci] = t0;
    c[ci + 1] = t1;
    c[ci + 2] = t2;
    c[ci + 3] = t3;
    c[ci + 4] = t4;
    c[ci + 5] = t5;
    c[ci + 6] = t6;
    c[ci + 7] = t7;
  }

  private static void outer(int m, int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    outer(n, a, aOff, b, bOff, c, cOff, 0, m, 0, n);
  }

  /**
   * Rows {@code [m0, m1)} and columns {@code [n0, n1)} of the outer product {@code C = a b} ({@code k = 1},
   * C {@code n} wide), one product per element ({@code x * b}, on Vector API lanes, the tail scalar):
   * the share of one thread, the same bits whatever the split.
   */
  static void outer(int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m0, int m1, int n0, int n1) {
    int bound = n0 + Kernel.S.loopBound(n1 - n0);
    for (int i = m0; i < m1; i++) {
      float x = a[aOff + i];
      FloatVector xs = FloatVector.broadcast(Kernel.S, x);
      int ci = cOff + i * n;
      int j = n0;
      for (; j < bound; j += Kernel.L) {
        xs.mul(FloatVector.fromArray(Kernel.S, b, bOff + j)).intoArray(c, ci + j);
      }
      for (; j < n1; j++) {
        c[ci + j] = x * b[bOff + j];
      }
    }
  }

  /** {@code sum_p x[xi + p * xs] * y[yi + p]}, rounded as the packed kernel rounds it. */
  private static float dot(float[] x, int xi, int xs, float[] y, int yi, int k) {
    float total = 0f;
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      int end = Math.min(k, p0 + Blocking.KC);
      float s = 0f;
      for (int p = p0, i = xi + p0 * xs; p < end; p++, i += xs) {
        s = Math.fma(x[i], y[yi + p], s);
      }
      total = p0 == 0 ? s : total + s;
    }
    return total;
  }
}
