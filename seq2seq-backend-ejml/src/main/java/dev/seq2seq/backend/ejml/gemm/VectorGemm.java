package dev.seq2seq.backend.ejml.gemm;

import static dev.seq2seq.backend.ejml.gemm.Kernel.MR;
import static dev.seq2seq.backend.ejml.gemm.Kernel.NR;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The Vector API GEMM: packing and register blocking ({@link Blocking}, {@link Packing},
 * {@link Kernel}), split over threads of {@link GemmPool}. Only loaded (reflectively, by
 * {@link FloatGemms}) when {@code jdk.incubator.vector} is present.
 *
 * <p>Outer products, matrix-vector and vector-matrix products take the unpacked {@link Thin} path
 * (vector-matrix products reading, and outer products writing, at least {@link #PARALLEL_MATRIX_ELEMENTS}
 * of B or C split over threads).
 * Products of at most {@link #ROWS_MAX_M} rows with B stored {@code k x n} skip packing
 * ({@link Rows}); a single row times a B kept packed takes {@link PackedRow}. Threads: a product below {@link #PARALLEL_FLOPS} runs on the calling thread alone; a larger one
 * is cut into at most {@code threads} shares, which the caller and idle workers claim
 * ({@link Parallel#forChunks}: a caller done first takes a late worker's share). Every share packs all
 * of the operand it does not cut, so C is cut into whole MR-row panels (each share packs all of B,
 * {@code k x n}) or whole NR-column panels (each packs all of A, {@code m x k}), whichever packs
 * less ({@link #cutsRows}); the other way when one side has fewer panels than threads. Products
 * with B packed already ({@link #multiplyPackedRight}) cut rows whenever they can.
 */
final class VectorGemm implements FloatGemm {
  /**
   * Products with fewer floating-point operations ({@code 2mnk}, here that of 128^3, ~45 us on one
   * core) run single-threaded: handing a share to a worker costs microseconds (tens when it has to
   * be woken; see {@link GemmPool}), which below this size outweighs the gain.
   */
  static final long PARALLEL_FLOPS = 2L * 128 * 128 * 128;

  /**
   * A batch of products with at least this many floating-point operations in all (1/8 of
   * {@link #PARALLEL_FLOPS}) is spread over threads: per-row attention products (a batch of 64
   * 1x256x20 ones, 0.66 MFLOP) run at 2-4 GFLOP/s, so this is ~100 us of work, and splitting it took
   * 105-158 us down to 58-65 us (and 20x1x256 tA 146 -> 109 us, 1x20x256 40 -> 18 us).
   */
  static final long PARALLEL_BATCH_FLOPS = PARALLEL_FLOPS / 8;

  /**
   * Products with at most this many rows and B stored {@code k x n} take the unpacked {@link Rows}
   * path (decoder steps); wider ones are packed and register-blocked.
   */
  static final int ROWS_MAX_M = 2;

  /**
   * Vector-matrix products reading at least this many elements of B (256 KiB), and outer products
   * writing at least this many of C, are split over threads although their FLOPs are few: they are
   * bound by memory traffic, which each core adds.
   */
  static final long PARALLEL_MATRIX_ELEMENTS = 1 << 16;

  /**
   * What packing an element of A (either layout) or of a transposed B costs against one of B stored
   * {@code k x n}, which {@link Packing} copies in runs of NR floats (A^T in runs of MR, the others
   * element by element). Measured by cutting products on two threads both ways, interleaved:
   * {@code A^T B} with shares of 128 rows ran 1.21x faster cut into rows at n = m, 1.05x at n = 2m,
   * 0.96x at n = 4m; with B transposed, cutting rows was even at n = m and 0.73-0.85x at n = 8-16m.
   */
  static final int PACK_COST = 3;

  private final int threads;

  VectorGemm(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    this.threads = Math.min(threads, GemmPool.SIZE);
  }

  @Override
  public String name() {
    return FloatGemms.VECTOR;
  }

  @Override
  public String description() {
    return "float32 GEMM: jdk.incubator.vector " + Kernel.S.vectorBitSize() + "-bit, " + MR + "x" + NR + " tile, "
        + threads + (threads == 1 ? " thread" : " threads");
  }

  @Override
  public void multiply(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k == 0) {
      Arrays.fill(c, cOff, cOff + m * n, 0f);
      return;
    }
    if (m == 1 && transB && k > 1 && (long) k * n >= PARALLEL_MATRIX_ELEMENTS) {
      // a large vector-matrix product (B not kept packed, e.g. its first use at batch 1): memory-bound, so split its columns
      split((m0, m1, n0, n1) -> Thin.vectorTimesRows(k, a, aOff, b, bOff, c, cOff, n0, n1), true, m, n, true, false);
      return;
    }
    if (k == 1 && (long) m * n >= PARALLEL_MATRIX_ELEMENTS) {
      // a large outer product: memory-bound, so split it like a product of that shape
      split((m0, m1, n0, n1) -> Thin.outer(n, a, aOff, b, bOff, c, cOff, m0, m1, n0, n1), false, m, n, true, m > n);
      return;
    }
    if (Thin.handles(transB, m, n, k)) {
      Thin.compute(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
      return;
    }
    boolean rows = !transB && m <= ROWS_MAX_M;
    Share share = rows
        ? (m0, m1, n0, n1) -> Rows.compute(transA, m, n, k, a, aOff, b, bOff, c, cOff, m0, m1, n0, n1)
        : (m0, m1, n0, n1) -> Blocking.compute(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, m0, m1, n0, n1, false);
    boolean parallel = 2L * m * n * k >= PARALLEL_FLOPS;
    split(share, rows, m, n, parallel, cutsRows(transB, m, n, parallel ? threads : 1)); // rows (m <= 2): one row panel, cut by columns
  }

  /**
   * Splits the products (contiguous ranges of them, up to {@link Parallel#CHUNKS_PER_THREAD} per
   * thread, claimed by whoever is free) over threads when together they reach
   * {@link #PARALLEL_BATCH_FLOPS}: the attention's per-head products (e.g. 256 of 20x32x20) are each
   * far too small to split alone.
   */
  @Override
  public void multiplyBatch(boolean transA, boolean transB, int m, int n, int k, int count,
      float[] a, int[] aOffs, float[] b, int[] bOffs, float[] c, int[] cOffs) {
    eachProduct(count, 2L * m * n * k * count, i -> multiply(transA, transB, m, n, k, a, aOffs[i], b, bOffs[i], c, cOffs[i]));
  }

  /**
   * Runs {@code product.accept(i)} for every {@code i < count}: contiguous ranges of products, up to
   * {@link Parallel#CHUNKS_PER_THREAD} per thread and claimed by whoever is free, when the products'
   * {@code flops} together reach {@link #PARALLEL_BATCH_FLOPS}; else all on the caller.
   */
  private void eachProduct(int count, long flops, IntConsumer product) {
    int t = flops >= PARALLEL_BATCH_FLOPS ? Math.min(threads, count) : 1;
    int chunks = Math.min(count, Parallel.CHUNKS_PER_THREAD * t);
    Parallel.forChunks(t, chunks, s -> {
      for (int i = (int) ((long) count * s / chunks), to = (int) ((long) count * (s + 1) / chunks); i < to; i++) {
        product.accept(i);
      }
    });
  }

  /** Whole NR-column panels, each {@code k} deep: {@link Packing#packB} over all of B at once. */
  @Override
  public int packedRightLength(int k, int n) {
    return (n + NR - 1) / NR * NR * k;
  }

  @Override
  public void packRight(boolean transB, int k, int n, float[] b, int bOff, float[] packed, int packedOff) {
    Packing.packB(transB, b, bOff, transB ? k : n, 0, k, 0, n, packed, packedOff);
  }

  /**
   * Split over threads by rows of C whenever it has a row panel per thread (each share packs only its
   * rows of A and streams all of the packed B: a training step's 64x1024x256 products ran at 148-153
   * GFLOP/s cut into columns, where every share packed all of A, and 165-166 cut into rows), else by
   * columns.
   */
  @Override
  public void multiplyPackedRight(boolean transA, int m, int n, int k, float[] a, int aOff, float[] packedB, float[] c, int cOff) {
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k == 0) {
      Arrays.fill(c, cOff, cOff + m * n, 0f);
      return;
    }
    if (m == 1) {
      // one row (a decoder step at batch 1): lanes over the packed columns; memory-bound, so a large
      // B is split by columns like the unpacked vector-matrix product
      split((m0, m1, n0, n1) -> PackedRow.compute(k, a, aOff, packedB, 0, c, cOff, n, n0, n1), true, m, n,
          (long) k * n >= PARALLEL_MATRIX_ELEMENTS, false);
      return;
    }
    split((m0, m1, n0, n1) -> Blocking.computePackedRight(transA, m, n, k, a, aOff, packedB, c, cOff, m0, m1, n0, n1), false, m, n,
        2L * m * n * k >= PARALLEL_FLOPS, true);
  }

  /**
   * Products split over threads like {@link #multiplyBatch}; each row on {@link PackedRow} (vector
   * lanes over the packed columns, where a row times B stored {@code n x k} runs {@link Thin}'s scalar
   * dot products; with {@code k == 0} it writes zeros).
   */
  @Override
  public void multiplyRowsPackedRight(int n, int k, int count, float[] a, int[] aOffs, float[] packed, int[] packedOffs,
      float[] c, int[] cOffs) {
    if (n > 0) {
      eachProduct(count, 2L * n * k * count, i -> PackedRow.compute(k, a, aOffs[i], packed, packedOffs[i], c, cOffs[i], n, 0, n));
    }
  }

  /**
   * {@code C += op(A) op(B)}: the packed path adds every K slice's partial sums straight into C (no
   * product matrix is allocated); thin and few-row shapes take the default (product, then add).
   */
  @Override
  public void multiplyAdd(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (m <= 0 || n <= 0 || k == 0) {
      return;
    }
    if (Thin.handles(transB, m, n, k) || (!transB && m <= ROWS_MAX_M)) {
      FloatGemm.super.multiplyAdd(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
      return;
    }
    boolean parallel = 2L * m * n * k >= PARALLEL_FLOPS;
    split((m0, m1, n0, n1) -> Blocking.compute(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, m0, m1, n0, n1, true), false, m, n,
        parallel, cutsRows(transB, m, n, parallel ? threads : 1));
  }

  /**
   * One product over all blocks, split like {@link #multiplyAdd} (whose bits it gives on the
   * concatenated copies): with k summed over the steps C is read and written once per
   * {@link Blocking#KC}-deep slice instead of once per block - in training a weight gradient
   * accumulated per time step (768x64x256 += ...) ran at ~110 GFLOP/s with C fetched from the
   * cache levels beyond L2 every step. Shapes the packed path does not take add block by block.
   */
  @Override
  public void multiplyAddTransposedBlocks(int m, int n, int[] ks, float[][] as, int[] aOffs, float[][] bs, int[] bOffs,
      float[] c, int cOff) {
    int[] starts = new int[ks.length + 1];
    for (int i = 0; i < ks.length; i++) {
      starts[i + 1] = starts[i] + ks[i];
    }
    int k = starts[ks.length];
    if (m <= 0 || n <= 0 || k == 0) {
      return;
    }
    if (Thin.handles(false, m, n, k) || m <= ROWS_MAX_M) {
      FloatGemm.super.multiplyAddTransposedBlocks(m, n, ks, as, aOffs, bs, bOffs, c, cOff);
      return;
    }
    split((m0, m1, n0, n1) -> Blocking.computeTransposedBlocks(m, n, starts, as, aOffs, bs, bOffs, c, cOff, m0, m1, n0, n1),
        false, m, n, 2L * m * n * k >= PARALLEL_FLOPS, (long) PACK_COST * m > n); // both packed in runs (A^T of MR, B of NR)
  }

  /**
   * Whether the packed path should cut C into row panels for {@code threads} shares: each share
   * then packs all of B and its own rows of A, where column shares pack all of A. True when row
   * shares read B in place ({@link Blocking#DIRECT_B_MAX_ROWS}: nothing is packed twice; A^T B at
   * m = n = 128, k = 1280 ran 1.37-1.57x faster cut into rows than into columns, where each share
   * packed all of A^T), else when A's packing is the dearer ({@link #PACK_COST} per element of A and
   * of a transposed B, 1 for B).
   */
  static boolean cutsRows(boolean transB, int m, int n, int threads) {
    int mPanels = (m + MR - 1) / MR;
    int shareRows = (mPanels + threads - 1) / threads * MR;
    if (!transB && shareRows <= Blocking.DIRECT_B_MAX_ROWS) {
      return true;
    }
    return (long) PACK_COST * m > (long) (transB ? PACK_COST : 1) * n;
  }

  /**
   * Runs {@code share} over C, split over threads as the class comment describes: into row panels
   * when {@code cutRows} (and there are enough of them), else into column panels when there are
   * enough of those.
   */
  private void split(Share share, boolean rows, int m, int n, boolean parallel, boolean cutRows) {
    int nPanels = (n + NR - 1) / NR;
    int mPanels = rows ? 1 : (m + MR - 1) / MR;
    int t = parallel ? threads : 1;
    boolean splitN = mPanels < t || (!cutRows && nPanels >= t);
    int panels = splitN ? nPanels : mPanels;
    int unit = splitN ? NR : MR;
    int size = splitN ? n : m;
    int shares = Math.min(t, panels);
    if (shares <= 1) { // most products: no share objects
      share.compute(0, m, 0, n);
      return;
    }
    // one share per thread, claimed: a caller done first takes a late worker's share (more shares
    // per thread measured slower: each packs all of the operand it does not cut)
    Parallel.forChunks(t, shares, s -> {
      int from = bound(s, shares, panels, unit, size);
      int to = bound(s + 1, shares, panels, unit, size);
      if (splitN) {
        share.compute(0, m, from, to);
      } else {
        share.compute(from, to, 0, n);
      }
    });
  }

  /** Computes rows {@code [m0, m1)} and columns {@code [n0, n1)} of C. */
  @FunctionalInterface
  private interface Share {
    void compute(int m0, int m1, int n0, int n1);
  }

  /** Start (row or column index) of share {@code s} of {@code t} over {@code panels} panels of {@code unit}. */
  private static int bound(int s, int t, int panels, int unit, int size) {
    return Math.min(size, (int) ((long) panels * s / t) * unit);
  }
}
