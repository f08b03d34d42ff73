package dev.seq2seq.backend.ejml.gemm;

import static dev.seq2seq.backend.ejml.gemm.Kernel.MR;
import static dev.seq2seq.backend.ejml.gemm.Kernel.NR;

/**
 * Goto-style cache blocking of one thread's share {@code [m0, m1) x [n0, n1)} of C: per
 * {@link #NC}-column block and {@link #KC}-deep slice, B is packed once (it stays in L2/L3), then per
 * {@link #MC}-row block A is packed (L2) and every MR x NR tile is computed with one B micro-panel
 * ({@code KC x NR}) kept in L1. The first K slice stores into C, later ones add, so every element
 * of C is summed in one fixed order whatever the thread split: results are deterministic.
 *
 * <p>A share of at most {@link #DIRECT_B_MAX_ROWS} rows with B stored {@code k x n} reads B's
 * micro-panels in place (each depth step a contiguous run of NR floats) instead of packing them:
 * with so few rows, packing B cost about as much as the products (a 64x1024x256 product packs a
 * 1 MiB weight). Same operations in the same order, so the same bits.
 */
final class Blocking {
  /** Depth of a packed slice. */
  static final int KC = 256;
  /** Rows of a packed A block: 16 micro-panels (128 rows with the 8-row tile). */
  static final int MC = 16 * MR;
  /** Columns of a packed B block (a multiple of NR). */
  static final int NC = 1024;
  /** Shares of at most this many rows read B stored {@code k x n} in place. */
  static final int DIRECT_B_MAX_ROWS = 64;

  private Blocking() {}

  /** Per-thread packing buffers and the tile scratch, reused across products. */
  static final class Workspace {
    final float[] ap = new float[round(MC, MR) * KC];
    final float[] bp = new float[round(NC, NR) * KC];
    final float[] tile = new float[MR * NR];
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private static int round(int x, int unit) {
    return (x + unit - 1) / unit * unit;
  }

  /**
   * Computes rows {@code [m0, m1)} and columns {@code [n0, n1)} of {@code C = op(A) op(B)}, or of
   * {@code C += op(A) op(B)} when {@code accumulate} (then the first K slice adds too).
   */
  static void compute(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m0, int m1, int n0, int n1, boolean accumulate) {
    Workspace w = WORKSPACE.get();
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    boolean direct = !transB && m1 - m0 <= DIRECT_B_MAX_ROWS;
    for (int jc = n0; jc < n1; jc += NC) {
      int nc = Math.min(NC, n1 - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        if (!direct) {
          Packing.packB(transB, b, bOff, ldb, pc, kc, jc, nc, w.bp, 0);
        } else if (nc % NR != 0) { // only the last, partial micro-panel: read in place it could pass B's end
          int full = nc - nc % NR;
          Packing.packB(false, b, bOff, ldb, pc, kc, jc + full, nc - full, w.bp, 0);
        }
        for (int ic = m0; ic < m1; ic += MC) {
          int mc = Math.min(MC, m1 - ic);
          Packing.packA(transA, a, aOff, lda, ic, mc, pc, kc, w.ap);
          boolean add = accumulate || pc > 0;
          int ci = cOff + ic * n + jc;
          for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            if (direct && cols == NR) {
              column(w, b, bOff + pc * ldb + jc + jr, ldb, mc, kc, c, ci + jr, n, cols, add);
            } else {
              column(w, w.bp, direct ? 0 : jr * kc, NR, mc, kc, c, ci + jr, n, cols, add);
            }
          }
        }
      }
    }
  }

  /**
   * Computes rows {@code [m0, m1)} and columns {@code [n0, n1)} ({@code n0} a multiple of NR) of
   * {@code C = op(A) B} for B packed whole by {@link Packing#packB} ({@code k}-deep NR-column panels,
   * the panel of column {@code j} at {@code j * k}): the loops of {@link #compute} without packing B,
   * so the same bits.
   */
  static void computePackedRight(boolean transA, int m, int n, int k, float[] a, int aOff, float[] bp, float[] c, int cOff,
      int m0, int m1, int n0, int n1) {
    Workspace w = WORKSPACE.get();
    int lda = transA ? m : k;
    for (int jc = n0; jc < n1; jc += NC) {
      int nc = Math.min(NC, n1 - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        for (int ic = m0; ic < m1; ic += MC) {
          int mc = Math.min(MC, m1 - ic);
          Packing.packA(transA, a, aOff, lda, ic, mc, pc, kc, w.ap);
          for (int jr = 0; jr < nc; jr += NR) {
            int j = jc + jr;
            column(w, bp, j * k + pc * NR, NR, mc, kc, c, cOff + ic * n + j, n, Math.min(NR, nc - jr), pc > 0);
          }
        }
      }
    }
  }

  /**
   * Computes rows {@code [m0, m1)} and columns {@code [n0, n1)} of {@code C += A^T B} where A
   * ({@code k x m}) and B ({@code k x n}) are concatenations of row blocks ({@link
   * Packing#packRowBlocks}): the loops of {@link #compute} with packers that gather the
   * blocks, so the bits of {@code compute} on the concatenated copies.
   */
  static void computeTransposedBlocks(int m, int n, int[] starts, float[][] as, int[] aOffs, float[][] bs, int[] bOffs,
      float[] c, int cOff, int m0, int m1, int n0, int n1) {
    Workspace w = WORKSPACE.get();
    int k = starts[starts.length - 1];
    for (int jc = n0; jc < n1; jc += NC) {
      int nc = Math.min(NC, n1 - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        Packing.packRowBlocks(starts, bs, bOffs, n, jc, nc, NR, pc, kc, w.bp);
        for (int ic = m0; ic < m1; ic += MC) {
          int mc = Math.min(MC, m1 - ic);
          Packing.packRowBlocks(starts, as, aOffs, m, ic, mc, MR, pc, kc, w.ap);
          int ci = cOff + ic * n + jc;
          for (int jr = 0; jr < nc; jr += NR) {
            column(w, w.bp, jr * kc, NR, mc, kc, c, ci + jr, n, Math.min(NR, nc - jr), true);
          }
        }
      }
    }
  }

  /** The tiles of one B micro-panel ({@code bp[bi..]}, depth steps {@code bStride} apart) against every A micro-panel of the block. */
  private static void column(Workspace w, float[] bp, int bi, int bStride, int mc, int kc, float[] c, int ci, int ldc, int cols,
      boolean add) {
    for (int ir = 0; ir < mc; ir += MR) {
      Kernel.multiply(w.ap, ir * kc, bp, bi, bStride, kc, w.tile);
      Kernel.store(w.tile, c, ci + ir * ldc, ldc, Math.min(MR, mc - ir), cols, add);
    }
  }
}
