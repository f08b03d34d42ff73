package dev.seq2seq.backend.ejml.gemm;

import static dev.seq2seq.backend.ejml.gemm.Kernel.L;
import static dev.seq2seq.backend.ejml.gemm.Kernel.NR;
import static dev.seq2seq.backend.ejml.gemm.Kernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * One row times a right operand kept packed ({@link FloatGemm#packRight}): {@code c = x B} for a
 * {@code k}-vector {@code x}, as in a decoder step at batch 1 ({@code h W^T} with the weight packed
 * once). The packed panels hold NR consecutive columns per depth step, so the row is broadcast and
 * every lane accumulates its own column: vector fused multiply-adds where the unpacked path
 * ({@link Thin}, B stored {@code n x k}) runs scalar dot products, and the register tile's
 * {@link Kernel#MR} rows would be seven eighths padding.
 *
 * <p>Every element of C is rounded as {@link Blocking} rounds it: a fused multiply-add chain over
 * {@code p} from 0 within each {@link Blocking#KC}-deep slice, the slices' sums added in order. So
 * the bits are those of every other path.
 */
final class PackedRow {
  private PackedRow() {}

  /** Panels computed together: eight independent accumulator chains hide the fused multiply-add latency. */
  private static final int GROUP = 4;

  /**
   * Columns {@code [n0, n1)} ({@code n0} a multiple of NR) of {@code c[cOff..] = x[xOff..] B} for B
   * ({@code k x n}) packed whole from {@code bp[bpOff]}: the panel of column {@code j} at
   * {@code bp[bpOff + j * k]}, depth step {@code p} of it at {@code + p * NR}. The share of one
   * thread: the same bits whatever the split.
   */
  static void compute(int k, float[] x, int xOff, float[] bp, int bpOff, float[] c, int cOff, int n, int n0, int n1) {
    int j = n0;
    for (; j + GROUP * NR <= n1; j += GROUP * NR) {
      group(k, x, xOff, bp, bpOff, c, cOff + j, j);
    }
    for (; j < n1; j += NR) {
      panel(k, x, xOff, bp, bpOff, c, cOff, j, Math.min(NR, n1 - j));
    }
  }

  /** Columns {@code [j, j + GROUP * NR)}, all inside C. */
  private static void group(int k, float[] x, int xOff, float[] bp, int bpOff, float[] c, int ci, int j) {
    int b0 = bpOff + j * k;
    int b1 = b0 + NR * k;
    int b2 = b1 + NR * k;
    int b3 = b2 + NR * k;
    FloatVector t00 = FloatVector.zero(S);
    FloatVector t01 = FloatVector.zero(S);
    FloatVector t10 = FloatVector.zero(S);
    FloatVector t11 = FloatVector.zero(S);
    FloatVector t20 = FloatVector.zero(S);
    FloatVector t21 = FloatVector.zero(S);
    FloatVector t30 = FloatVector.zero(S);
    FloatVector t31 = FloatVector.zero(S);
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      int end = Math.min(k, p0 + Blocking.KC);
      FloatVector s00 = FloatVector.zero(S);
      FloatVector s01 = FloatVector.zero(S);
      FloatVector s10 = FloatVector.zero(S);
      FloatVector s11 = FloatVector.zero(S);
      FloatVector s20 = FloatVector.zero(S);
      FloatVector s21 = FloatVector.zero(S);
      FloatVector s30 = FloatVector.zero(S);
      FloatVector s31 = FloatVector.zero(S);
      for (int p = p0; p < end; p++) {
        FloatVector a = FloatVector.broadcast(S, x[xOff + p]);
        int o = p * NR;
        s00 = a.fma(FloatVector.fromArray(S, bp, b0 + o), s00);
        s01 = a.fma(FloatVector.fromArray(S, bp, b0 + o + L), s01);
        s10 = a.fma(FloatVector.fromArray(S, bp, b1 + o), s10);
        s11 = a.fma(FloatVector.fromArray(S, bp, b1 + o + L), s11);
        s20 = a.fma(FloatVector.fromArray(S, bp, b2 + o), s20);
        s21 = a.fma(FloatVector.fromArray(S, bp, b2 + o + L), s21);
        s30 = a.fma(FloatVector.fromArray(S, bp, b3 + o), s30);
        s31 = a.fma(FloatVector.fromArray(S, bp, b3 + o + L), s31);
      }
      boolean first = p0 == 0;
      t00 = first ? s00 : t00.add(s00);
      t01 = first ? s01 : t01.add(s01);
      t10 = first ? s10 : t10.add(s10);
      t11 = first ? s11 : t11.add(s11);
      t20 = first ? s20 : t20.add(s20);
      t21 = first ? s21 : t21.add(s21);
      t30 = first ? s30 : t30.add(s30);
      t31 = first ? s31 : t31.add(s31);
    }
    t00.intoArray(c, ci);
    t01.intoArray(c, ci + L);
    t10.intoArray(c, ci + NR);
    t11.intoArray(c, ci + NR + L);
    t20.intoArray(c, ci + 2 * NR);
    t21.intoArray(c, ci + 2 * NR + L);
    t30.intoArray(c, ci + 3 * NR);
    t31.intoArray(c, ci + 3 * NR + L);
  }

  /** The {@code cols} (at most NR) columns of the panel at column {@code j}. */
  private static void panel(int k, float[] x, int xOff, float[] bp, int bpOff, float[] c, int cOff, int j, int cols) {
    int b = bpOff + j * k;
    FloatVector t0 = FloatVector.zero(S);
    FloatVector t1 = FloatVector.zero(S);
    for (int p0 = 0; p0 < k; p0 += Blocking.KC) {
      int end = Math.min(k, p0 + Blocking.KC);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      for (int p = p0; p < end; p++) {
        FloatVector a = FloatVector.broadcast(S, x[xOff + p]);
        s0 = a.fma(FloatVector.fromArray(S, bp, b + p * NR), s0);
        s1 = a.fma(FloatVector.fromArray(S, bp, b + p * NR + L), s1);
      }
      t0 = p0 == 0 ? s0 : t0.add(s0);
      t1 = p0 == 0 ? s1 : t1.add(s1);
    }
    if (cols == NR) {
      t0.intoArray(c, cOff + j);
      t1.intoArray(c, cOff + j + L);
      return;
    }
    float[] lanes = new float[NR]; // the last, partial panel: its padding columns are not C's
    t0.intoArray(lanes, 0);
    t1.intoArray(lanes, L);
    System.arraycopy(lanes, 0, c, cOff + j, cols);
  }
}
