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
    if (transA) {
      packRows(a, aOff + p0 * lda + i0, lda, mc, MR, kc, 0, kc, ap, 0);
      return;
    }
    for (int ir = 0; ir < mc; ir += MR) {
      packARows(a, aOff + (i0 + ir) * lda + p0, lda, Math.min(MR, mc - ir), kc, ap, ir * kc);
    }
  }

  /**
   * Packs depths {@code [p0, p0 + kc)} and columns {@code [j0, j0 + span)} of an operand stored
   * {@code k x cols} (row stride {@code cols}) that is the concatenation of row blocks: rows
   * {@code [starts[s], starts[s + 1])} are stored from {@code xs[s][offs[s]]}. With {@code width}
   * MR it packs what {@link #packA} packs for {@code A^T} ({@code j0, span} the rows {@code i0, mc}
   * of {@code op(A)}), with NR what {@link #packB} packs for B, from the concatenated copy.
   */
  static void packRowBlocks(int[] starts, float[][] xs, int[] offs, int cols, int j0, int span, int width, int p0, int kc,
      float[] panels) {
    for (int s = blockOf(starts, p0), p = p0; p < p0 + kc; s++) {
      int depths = Math.min(starts[s + 1], p0 + kc) - p;
      packRows(xs[s], offs[s] + (p - starts[s]) * cols + j0, cols, span, width, kc, p - p0, depths, panels, 0);
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

  /**
   * A stored k x m (panels {@code width = MR} wide) or B stored k x n ({@code NR}): depth steps
   * {@code [from, from + depths)} of the block's panels (each {@code kc} deep) from as many rows of
   * the operand, the first at {@code src}, {@code span} elements of each. Row by row, so the operand
   * is read front to back (panel by panel, every depth step was a 32- or 128-byte read one row
   * stride after the last). The panels start at {@code panels[panelsOff]}.
   */
  private static void packRows(float[] x, int src, int ld, int span, int width, int kc, int from, int depths, float[] panels,
      int panelsOff) {
    for (int p = from; p < from + depths; p++, src += ld) {
      for (int i = 0; i < span; i += width) {
        int run = Math.min(width, span - i);
        int dst = panelsOff + i * kc + p * width;
        System.arraycopy(x, src + i, panels, dst, run);
        if (run < width) {
          Arrays.fill(panels, dst + run, dst + width, 0f);
        }
      }
    }
  }

  /**
   * Packs depths {@code [p0, p0 + kc)} and columns {@code [j0, j0 + nc)} of {@code op(B)} into
   * {@code bp} from {@code bpOff}: one panel of {@code kc * NR} floats per NR columns, depth-major
   * within a panel. {@code ldb} is the row stride of B as stored.
   */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] bp, int bpOff) {
    if (!transB) {
      packRows(b, bOff + p0 * ldb + j0, ldb, nc, NR, kc, 0, kc, bp, bpOff);
      return;
    }
    for (int jr = 0; jr < nc; jr += NR) {
      packBTransposed(b, bOff + (j0 + jr) * ldb + p0, ldb, Math.min(NR, nc - jr), kc, bp, bpOff + jr * kc);
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
