package dev.seq2seq.backend.ejml.gemm;

import static dev.seq2seq.backend.ejml.gemm.Kernel.L;
import static dev.seq2seq.backend.ejml.gemm.Kernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * The unpacked path for products with very few rows (a decoder step: {@code m} = batch or beam
 * size) and B stored {@code k x n}: each row of C accumulates the rows of B scaled by that row of
 * A, four vectors of columns at a time, reading B in place. Packing B would triple the memory
 * traffic of an operand that is used by only a handful of rows. Every element of C is rounded as
 * {@link Blocking} rounds it (a fused multiply-add chain within each {@link Blocking#KC}-deep slice,
 * the slices' sums added in order), so a row gets the same bits in a product of any number of rows
 * and whatever the thread split. (Before, one chain ran over all of {@code k}: for {@code k > KC}
 * a row of a one- or two-row product differed in its last bits from the same row among more.)
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
      float total = 0;
      for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
        float sum = 0;
        for (int p = p0, end = Math.min(k, p0 + Blocking.KC), x = ai + p0 * aStride, y = bOff + j + p0 * n; p < end;
            p++, x += aStride, y += n) {
          sum = Math.fma(a[x], b[y], sum);
        }
        total = p0 == 0 ? sum : total + sum;
      }
      c[ci + j] = total;
    }
  }

  private static void four(float[] a, int ai, int aStride, float[] b, int bi, int n, int k, float[] c, int ci) {
    FloatVector t0 = FloatVector.zero(S);
    FloatVector t1 = FloatVector.zero(S);
    FloatVector t2 = FloatVector.zero(S);
    FloatVector t3 = FloatVector.zero(S);
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      FloatVector c0 = FloatVector.zero(S);
      FloatVector c1 = FloatVector.zero(S);
      FloatVector c2 = FloatVector.zero(S);
      FloatVector c3 = FloatVector.zero(S);
      for (int p = p0, end = Math.min(k, p0 + Blocking.KC); p < end; p++, ai += aStride, bi += n) {
        FloatVector x = FloatVector.broadcast(S, a[ai]);
        c0 = x.fma(FloatVector.fromArray(S, b, bi), c0);
        c1 = x.fma(FloatVector.fromArray(S, b, bi + L), c1);
        c2 = x.fma(FloatVector.fromArray(S, b, bi + 2 * L), c2);
        c3 = x.fma(FloatVector.fromArray(S, b, bi + 3 * L), c3);
      }
      boolean first = p0 == 0;
      t0 = first ? c0 : t0.add(c0);
      t1 = first ? c1 : t1.add(c1);
      t2 = first ? c2 : t2.add(c2);
      t3 = first ? c3 : t3.add(c3);
    }
    t0.intoArray(c, ci);
    t1.intoArray(c, ci + L);
    t2.intoArray(c, ci + 2 * L);
    t3.intoArray(c, ci + 3 * L);
  }

  private static void one(float[] a, int ai, int aStride, float[] b, int bi, int n, int k, float[] c, int ci) {
    FloatVector t0 = FloatVector.zero(S);
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      FloatVector c0 = FloatVector.zero(S);
      for (int p = p0, end = Math.min(k, p0 + Blocking.KC); p < end; p++, ai += aStride, bi += n) {
        c0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi), c0);
      }
      t0 = p0 == 0 ? c0 : t0.add(c0);
    }
    t0.intoArray(c, ci);
  }
}
