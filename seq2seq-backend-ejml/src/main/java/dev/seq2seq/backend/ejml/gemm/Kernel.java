package dev.seq2seq.backend.ejml.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernel: an {@link #MR} x {@link #NR} tile of C (NR = two vectors of the
 * preferred species: 8 x 32 floats in 16 accumulators with 512-bit vectors, 6 x 16 in 12 with
 * 256-bit ones) accumulated with broadcast-A fused multiply-adds over packed panels.
 *
 * <p>The tile is stored into a scratch array and added to C by {@link #store}, a separate small
 * method: writing C from inside the kernel made C2 exceed its inlining node budget and box the
 * accumulators (5x slower).
 */
final class Kernel {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Lanes per vector. */
  static final int L = S.length();
  /** Rows of the register tile: 8 with 512-bit vectors (32 registers), else 6 (16 registers). */
  static final int MR = L >= 16 ? 8 : 6;
  /** Columns of the register tile: two vectors. */
  static final int NR = 2 * L;

  private Kernel() {}

  /**
   * {@code tile[MR x NR] = Ap * Bp}: {@code ap[ai..]} is a packed A micro-panel ({@code kc} steps of
   * MR floats), {@code bp[bi..]} a B micro-panel of {@code kc} steps of NR floats, each
   * {@code bStride} after the last: NR when packed, the row stride of B when read in place.
   */
  static void multiply(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, float[] tile) {
    if (MR == 8) {
      multiply8(ap, ai, bp, bi, bStride, kc, tile);
    } else {
      multiply6(ap, ai, bp, bi, bStride, kc, tile);
    }
  }

  /** The 8-row tile: 16 accumulators, for 32 vector registers (AVX-512). */
  private static void multiply8(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, float[] tile) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++, ai += 8, bi += bStride) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a;
      a = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + L);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + L);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + L);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + L);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + L);
  }

  /** The 6-row tile: 12 accumulators, for 16 vector registers (AVX2, NEON-sized species). */
  private static void multiply6(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, float[] tile) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++, ai += 6, bi += bStride) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a;
      a = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + L);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + L);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + L);
  }

  /**
   * Writes the valid {@code rows x cols} corner of {@code tile} into C at {@code c[ci..]} (row
   * stride {@code ldc}): added to C when {@code add}, else stored over it.
   */
  static void store(float[] tile, float[] c, int ci, int ldc, int rows, int cols, boolean add) {
    if (rows == MR && cols == NR) {
      storeFull(tile, c, ci, ldc, add);
    } else {
      storePartial(tile, c, ci, ldc, rows, cols, add);
    }
  }

  private static void storeFull(float[] tile, float[] c, int ci, int ldc, boolean add) {
    for (int r = 0; r < MR; r++, ci += ldc) {
      FloatVector t0 = FloatVector.fromArray(S, tile, r * NR);
      FloatVector t1 = FloatVector.fromArray(S, tile, r * NR + L);
      if (add) {
        t0 = t0.add(FloatVector.fromArray(S, c, ci));
        t1 = t1.add(FloatVector.fromArray(S, c, ci + L));
      }
      t0.intoArray(c, ci);
      t1.intoArray(c, ci + L);
    }
  }

  private static void storePartial(float[] tile, float[] c, int ci, int ldc, int rows, int cols, boolean add) {
    for (int r = 0; r < rows; r++, ci += ldc) {
      int t = r * NR;
      if (add) {
        for (int j = 0; j < cols; j++) {
          c[ci + j] += tile[t + j];
        }
      } else {
        System.arraycopy(tile, t, c, ci, cols);
      }
    }
  }
}
