package dev.seq2seq.backend.ejml.gemm;

import static dev.seq2seq.backend.ejml.gemm.Kernel.L;
import static dev.seq2seq.backend.ejml.gemm.Kernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * The unpacked path for products with very few rows (a decoder step: {@code m} = batch or beam
 * size) and B stored {@code k x n}: each row of C accumulates the rows of B scaled by that row of
 * A, four vectors of columns at a time, reading B in place. Packing B would triple the memory
 * traffic of an operand that is used by only a handful of rows. Every element of C is still summed
 * in one fixed order (p = 0..k-1), whatever the thread split.
 */
final class Rows {
  private Rows() {}

  /** Columns {@code [n0, n1)} of rows {@code [m0, m1)} of {@code C = op(A) B}. */
  static void compute(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, int m0, int m1, int n0, int n1) {
    for (int i = m0; i < m1; i++) {
      int ai = transA ? aOff + i : aOff + i * k;
      int aStride = transA ? m : 1;
      row(a, ai, aStride, b, bOff, n, k, c, cOff + i * n, n0, n1);
    }
  }

  private static void row(float[] a, int ai, int aStride, float[] b, int bOff, int n, int k, float[] c, int ci, int n0, int n1) {
    int j = n0;
    for (; j + 4 * L <= n1; j += 4 * L) {
      four(a, ai, aStride, b, bOff + j, n, k, c, ci + j);
    }
    for (; j + L <= n1; j += L) {
      one(a, ai, aStride, b, bOff + j, n, k, c, ci + j);
    }
    for (; j < n1; j++) {
      float sum = 0;
      for (int p = 0, x = ai, y = bOff + j; p < k; p++, x += aStride, y += n) {
        sum = Math.fma(a[x], b[y], sum);
      }
      c[ci + j] = sum;
    }
  }

  private static void four(float[] a, int ai, int aStride, float[] b, int bi, int n, int k, float[] c, int ci) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S);
    FloatVector c3 = FloatVector.zero(S);
    for (int p = 0; p < k; p++, ai += aStride, bi += n) {
      FloatVector x = FloatVector.broadcast(S, a[ai]);
      c0 = x.fma(FloatVector.fromArray(S, b, bi), c0);
      c1 = x.fma(FloatVector.fromArray(S, b, bi + L), c1);
      c2 = x.fma(FloatVector.fromArray(S, b, bi + 2 * L), c2);
      c3 = x.fma(FloatVector.fromArray(S, b, bi + 3 * L), c3);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + L);
    c2.intoArray(c, ci + 2 * L);
    c3.intoArray(c, ci + 3 * L);
  }

  private static void one(float[] a, int ai, int aStride, float[] b, int bi, int n, int k, float[] c, int ci) {
    FloatVector c0 = FloatVector.zero(S);
    for (int p = 0; p < k; p++, ai += aStride, bi += n) {
      c0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi), c0);
    }
    c0.intoArray(c, ci);
  }
}
