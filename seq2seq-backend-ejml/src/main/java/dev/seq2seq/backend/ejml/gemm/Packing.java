package dev.seq2seq.backend.ejml.gemm;

import static dev.seq2seq.backend.ejml.gemm.Kernel.MR;
import static dev.seq2seq.backend.ejml.gemm.Kernel.NR;

import java.util.Arrays;

/**
 * Copies blocks of {@code op(A)} and {@code op(B)} into the contiguous micro-panel layout the
 * {@link Kernel} streams through; transposes are resolved here, and edge panels are padded with
 * zeros so the kernel always computes whole tiles. Every loop sits in a small static method that
 * runs many times per product (a large, rarely called method can stay interpreted).
 */
final class Packing {
  private Packing() {}

  /**
   * Packs rows {@code [i0, i0 + mc)} and depths {@code [p0, p0 + kc)} of {@code op(A)} into
   * {@code ap}: one panel of {@code kc * MR} floats per MR rows, depth-major within a panel.
   * {@code lda} is the row stride of A as stored.
   */
  static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] ap) {
    for (int ir = 0; ir < mc; ir += MR) {
      int rows = Math.min(MR, mc - ir);
      if (transA) {
        packATransposed(a, aOff + p0 * lda + i0 + ir, lda, rows, kc, ap, ir * kc);
      } else {
        packARows(a, aOff + (i0 + ir) * lda + p0, lda, rows, kc, ap, ir * kc);
      }
    }
  }

  /**
   * {@link #packA} for {@code op(A) = A^T} where A ({@code k x m}, row stride {@code m}) is the
   * concatenation of row blocks: rows {@code [starts[s], starts[s + 1])} of A are stored from
   * {@code as[s][aOffs[s]]}. Packs what {@link #packA} packs from the concatenated copy.
   */
  static void packATransposedBlocks(int[] starts, float[][] as, int[] aOffs, int m, int i0, int mc, int p0, int kc, float[] ap) {
    for (int s = blockOf(starts, p0), p = p0; p < p0 + kc; s++) {
      int depths = Math.min(starts[s + 1], p0 + kc) - p;
      int src = aOffs[s] + (p - starts[s]) * m + i0;
      for (int ir = 0; ir < mc; ir += MR) {
        packATransposed(as[s], src + ir, m, Math.min(MR, mc - ir), depths, ap, ir * kc + (p - p0) * MR);
      }
      p += depths;
    }
  }

  /**
   * {@link #packB} for B ({@code k x n}, row stride {@code n}, not transposed) stored as row blocks
   * like A of {@link #packATransposedBlocks}.
   */
  static void packBBlocks(int[] starts, float[][] bs, int[] bOffs, int n, int p0, int kc, int j0, int nc, float[] bp) {
    for (int s = blockOf(starts, p0), p = p0; p < p0 + kc; s++) {
      int depths = Math.min(starts[s + 1], p0 + kc) - p;
      int src = bOffs[s] + (p - starts[s]) * n + j0;
      for (int jr = 0; jr < nc; jr += NR) {
        packBRows(bs[s], src + jr, n, Math.min(NR, nc - jr), depths, bp, jr * kc + (p - p0) * NR);
      }
      p += depths;
    }
  }

  /** The row block that holds row {@code p}: the last {@code s} with {@code starts[s] <= p < starts[s + 1]}. */
  private static int blockOf(int[] starts, int p) {
    int s = 0;
    while (starts[s + 1] <= p) {
      s++;
    }
    return s;
  }

  /** A stored m x k: row {@code ii} of the panel is contiguous in A. */
  private static void packARows(float[] a, int src, int lda, int rows, int kc, float[] ap, int dst) {
    for (int ii = 0; ii < rows; ii++) {
      packAColumn(a, src + ii * lda, kc, ap, dst + ii);
    }
    for (int ii = rows; ii < MR; ii++) {
      zeroStrided(ap, dst + ii, kc, MR);
    }
  }

  private static void packAColumn(float[] a, int src, int kc, float[] ap, int dst) {
    for (int p = 0; p < kc; p++) {
      ap[dst + p * MR] = a[src + p];
    }
  }

  /** A stored k x m: each depth step of the panel is a contiguous run of A. */
  private static void packATransposed(float[] a, int src, int lda, int rows, int kc, float[] ap, int dst) {
    for (int p = 0; p < kc; p++, src += lda, dst += MR) {
      System.arraycopy(a, src, ap, dst, rows);
      if (rows < MR) {
        Arrays.fill(ap, dst + rows, dst + MR, 0f);
      }
    }
  }

  /**
   * Packs depths {@code [p0, p0 + kc)} and columns {@code [j0, j0 + nc)} of {@code op(B)} into
   * {@code bp}: one panel of {@code kc * NR} floats per NR columns, depth-major within a panel.
   * {@code ldb} is the row stride of B as stored.
   */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] bp) {
    for (int jr = 0; jr < nc; jr += NR) {
      int cols = Math.min(NR, nc - jr);
      if (transB) {
        packBTransposed(b, bOff + (j0 + jr) * ldb + p0, ldb, cols, kc, bp, jr * kc);
      } else {
        packBRows(b, bOff + p0 * ldb + j0 + jr, ldb, cols, kc, bp, jr * kc);
      }
    }
  }

  /** B stored k x n: each depth step of the panel is a contiguous run of B. */
  private static void packBRows(float[] b, int src, int ldb, int cols, int kc, float[] bp, int dst) {
    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
      System.arraycopy(b, src, bp, dst, cols);
      if (cols < NR) {
        Arrays.fill(bp, dst + cols, dst + NR, 0f);
      }
    }
  }

  /** B stored n x k: column {@code jj} of the panel is contiguous in B. */
  private static void packBTransposed(float[] b, int src, int ldb, int cols, int kc, float[] bp, int dst) {
    for (int jj = 0; jj < cols; jj++) {
      packBColumn(b, src + jj * ldb, kc, bp, dst + jj);
    }
    for (int jj = cols; jj < NR; jj++) {
      zeroStrided(bp, dst + jj, kc, NR);
    }
  }

  private static void packBColumn(float[] b, int src, int kc, float[] bp, int dst) {
    for (int p = 0; p < kc; p++) {
      bp[dst + p * NR] = b[src + p];
    }
  }

  private static void zeroStrided(float[] x, int from, int count, int stride) {
    for (int p = 0; p < count; p++) {
      x[from + p * stride] = 0f;
    }
  }
}
