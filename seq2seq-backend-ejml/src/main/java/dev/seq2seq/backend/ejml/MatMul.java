package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Batched matrix product: float32 on the backend's {@link FloatGemm} (the Vector API kernel or
 * EJML's, see {@link dev.seq2seq.backend.ejml.gemm.FloatGemms}), float64 on EJML's dense row-major GEMM ({@code CommonOps_DDRM}).
 *
 * <p>The batch axes (all but the last two) broadcast NumPy-style; a {@link StridedLoop} over the
 * broadcast batch shape yields the offset of every matrix of {@code a}, {@code b} and the result,
 * and each product is one {@link Gemm} call at those offsets. The float32 GEMM reads and writes
 * matrices in place at any offset; for float64 a matrix at offset 0 is handed to EJML as-is (EJML
 * only reads the first {@code rows * cols} elements of a wrapped array) and any other is first
 * copied into a scratch array. When {@code b} has a single matrix and {@code a} is not transposed,
 * the batch of {@code a} is folded into its rows and the whole product is one GEMM. A float32
 * right operand read again and again (a weight in every time step; an attention's keys or values,
 * one query row per example, in every decoder step) is kept packed from its second use on
 * ({@link EjmlTensor#packedRightOnReuse}).
 */
final class MatMul {
  private MatMul() {}

  /** One product {@code c[cOff..] = op(a[aOff..]) @ op(b[bOff..])} with {@code m} rows. */
  @FunctionalInterface
  private interface Gemm {
    void multiply(int aOff, int bOff, int cOff, int m);
  }

  private static Gemm floatGemm(FloatGemm gemm, EjmlTensor a, EjmlTensor b, Object out, boolean ta, boolean tb, int n, int k) {
    float[] x = (float[]) a.data();
    float[] y = (float[]) b.data();
    float[] z = (float[]) out;
    return (ao, bo, co, m) -> gemm.multiply(ta, tb, m, n, k, x, ao, y, bo, z, co);
  }

  private static Gemm doubleGemm(EjmlTensor a, EjmlTensor b, Object out, boolean ta, boolean tb, int n, int k) {
    MatrixSource as = new MatrixSource((double[]) a.data());
    MatrixSource bs = new MatrixSource((double[]) b.data());
    MatrixSource cs = new MatrixSource(null);
    return (ao, bo, co, m) -> {
      DMatrixRMaj x = ta ? DMatrixRMaj.wrap(k, m, as.at(ao, m * k)) : DMatrixRMaj.wrap(m, k, as.at(ao, m * k));
      DMatrixRMaj y = tb ? DMatrixRMaj.wrap(n, k, bs.at(bo, k * n)) : DMatrixRMaj.wrap(k, n, bs.at(bo, k * n));
      double[] cm = co == 0 ? (double[]) out : cs.scratch(m * n);
      DMatrixRMaj z = DMatrixRMaj.wrap(m, n, cm);
      if (ta) {
        if (tb) {
          CommonOps_DDRM.multTransAB(x, y, z);
        } else {
          CommonOps_DDRM.multTransA(x, y, z);
        }
      } else if (tb) {
        CommonOps_DDRM.multTransB(x, y, z);
      } else {
        CommonOps_DDRM.mult(x, y, z);
      }
      if (co != 0) {
        System.arraycopy(cm, 0, out, co, m * n);
      }
    };
  }

  /** {@code op(a) @ op(b)} over the last two axes with broadcast batch axes. */
  static EjmlTensor matmul(EjmlTensor a, EjmlTensor b, boolean ta, boolean tb, FloatGemm floatGemm) {
    EjmlBackend.requireFloating(Op.MATMUL, a);
    EjmlBackend.requireSameDtype(Op.MATMUL, a, b);
    int[] da = a.dims();
    int[] db = b.dims();
    checkArgument(da.length >= 2 && db.length >= 2, "matmul: %s x %s: both operands need rank >= 2", a.shape(), b.shape());
    int aRows = da[da.length - 2];
    int aCols = da[da.length - 1];
    int bRows = db[db.length - 2];
    int bCols = db[db.length - 1];
    int m = ta ? aCols : aRows;
    int k = ta ? aRows : aCols;
    int n = tb ? bRows : bCols;
    checkArgument(
        k == (tb ? bCols : bRows), "matmul: %s x %s: inner dimensions differ (transposeA=%s, transposeB=%s)", a.shape(), b.shape(), ta, tb);
    Shape batchA = Shape.of(Arrays.copyOf(da, da.length - 2));
    Shape batchB = Shape.of(Arrays.copyOf(db, db.length - 2));
    Shape batch = Shape.broadcast("matmul", batchA, batchB);
    int[] outDims = Arrays.copyOf(batch.toArray(), batch.rank() + 2);
    outDims[outDims.length - 2] = m;
    outDims[outDims.length - 1] = n;
    Shape shape = Shape.of(outDims);
    if (shape.size() == 0 || k == 0) {
      return new EjmlTensor(shape, Storage.allocate(a.dtype(), shape.size())); // empty, or a sum over nothing: zeros
    }
    Object out = Storage.allocateUnfilled(a.dtype(), shape.size()); // every product overwrites its block
    Gemm gemm = a.dtype() == DType.FLOAT32
        ? floatGemm(floatGemm, a, b, out, ta, tb, n, k)
        : doubleGemm(a, b, out, ta, tb, n, k);
    if (batchB.size() == 1 && !ta) {
      int rows = batchA.size() * aRows;
      float[] packedB = keptPacked(a.dtype(), b, tb, n, k, floatGemm);
      if (packedB != null) {
        floatGemm.multiplyPackedRight(false, rows, n, k, a.floats(), 0, packedB, (float[]) out, 0);
      } else {
        gemm.multiply(0, 0, 0, rows);
      }
      return new EjmlTensor(shape, out);
    }
    int aSize = aRows * aCols;
    int bSize = bRows * bCols;
    int cSize = m * n;
    StridedLoop loop = StridedLoop.of(
        batch.toArray(),
        scale(batch.strides(), cSize),
        scale(StridedLoop.broadcastStrides(batchA, batch), aSize),
        scale(StridedLoop.broadcastStrides(batchB, batch), bSize));
    int sc = loop.innerStride(0);
    int sa = loop.innerStride(1);
    int sb = loop.innerStride(2);
    int count = batch.size();
    int[][] offsets = new int[3][count]; // of A, B and C for every product
    int[] next = {0};
    loop.forEachRow((o, len) -> {
      for (int j = 0, c = o[0], x = o[1], y = o[2]; j < len; j++, c += sc, x += sa, y += sb, next[0]++) {
        offsets[0][next[0]] = x;
        offsets[1][next[0]] = y;
        offsets[2][next[0]] = c;
      }
    });
    if (a.dtype() == DType.FLOAT32 && m == 1 && !ta && n >= 2 && k >= 2) {
      // one query row per example against that example's keys or values, read again every decoder step
      float[] packed = b.packedRightOnReuse(floatGemm, tb);
      if (packed != null) {
        int packedSize = floatGemm.packedRightLength(k, n);
        int[] packedOffs = new int[count];
        for (int i = 0; i < count; i++) {
          packedOffs[i] = offsets[1][i] / bSize * packedSize;
        }
        floatGemm.multiplyRowsPackedRight(n, k, count, a.floats(), offsets[0], packed, packedOffs, (float[]) out, offsets[2]);
        return new EjmlTensor(shape, out);
      }
    }
    if (a.dtype() == DType.FLOAT32) { // all at once, for the GEMM to spread over threads
      floatGemm.multiplyBatch(ta, tb, m, n, k, count, a.floats(), offsets[0], b.floats(), offsets[1], (float[]) out, offsets[2]);
    } else {
      for (int i = 0; i < count; i++) {
        gemm.multiply(offsets[0][i], offsets[1][i], offsets[2][i], m);
      }
    }
    return new EjmlTensor(shape, out);
  }

  /**
   * The packed form {@code b} keeps ({@link EjmlTensor#packedRightOnReuse}) for a float32 product
   * {@code [rows, k] x op(b)} ({@code n} and {@code k} at least two), else {@code null} (then
   * the GEMM's unpacked paths read {@code b} as it is). Same bits either way. A single row counts:
   * a decoder step at batch 1 read {@code W} stored {@code n x k} with scalar dot products, ~8x
   * slower than vector lanes over its packed columns.
   */
  private static float[] keptPacked(DType dtype, EjmlTensor b, boolean tb, int n, int k, FloatGemm floatGemm) {
    if (dtype != DType.FLOAT32 || n < 2 || k < 2 || b.shape().rank() != 2) {
      return null;
    }
    return b.packedRightOnReuse(floatGemm, tb);
  }

  /**
   * {@code target += sum_i lefts[i]^T @ rights[i]} for rank-2 operands ({@code lefts[i]} is
   * {@code [k_i, M]}, {@code rights[i]} {@code [k_i, N]}, {@code target} {@code [M, N]}), modifying
   * {@code target}: float32 as one product over all blocks ({@link FloatGemm#multiplyAddTransposedBlocks}),
   * float64 block by block on EJML's {@code multAddTransA}.
   */
  static void matmulAddTransposedBlocks(EjmlTensor target, List<EjmlTensor> lefts, List<EjmlTensor> rights, FloatGemm floatGemm) {
    checkArgument(lefts.size() == rights.size() && !lefts.isEmpty(),
        "matmul add: %s += sum of left^T x right: %s left and %s right blocks (expected as many, at least one)",
        target.shape(), lefts.size(), rights.size());
    int count = lefts.size();
    if (target.dtype() != DType.FLOAT32) {
      for (int i = 0; i < count; i++) {
        matmulAdd(target, lefts.get(i), rights.get(i), true, false, floatGemm);
      }
      return;
    }
    int[] ks = new int[count];
    float[][] as = new float[count][];
    float[][] bs = new float[count][];
    for (int i = 0; i < count; i++) {
      EjmlTensor a = lefts.get(i);
      EjmlTensor b = rights.get(i);
      EjmlBackend.requireSameDtype(Op.MATMUL, target, a);
      EjmlBackend.requireSameDtype(Op.MATMUL, a, b);
      int[] da = a.dims();
      int[] db = b.dims();
      if (da.length != 2 || db.length != 2 || da[0] != db[0] || da[1] != target.dims()[0] || db[1] != target.dims()[1]) {
        throw new IllegalArgumentException(String.format(
            "matmul add: %s += sum of left^T x right: block %d is %s^T x %s (expected [k, %d]^T x [k, %d])",
            target.shape(), i, a.shape(), b.shape(), target.dims()[0], target.dims()[1]));
      }
      ks[i] = da[0];
      as[i] = a.floats();
      bs[i] = b.floats();
    }
    floatGemm.multiplyAddTransposedBlocks(target.dims()[0], target.dims()[1], ks, as, new int[count], bs, new int[count],
        target.floats(), 0);
  }

  /**
   * {@code target += op(a) @ op(b)} for rank-2 operands, modifying {@code target} (owned by the
   * caller alone): float32 on {@link FloatGemm#multiplyAdd}, float64 on EJML's {@code multAdd*}.
   */
  static void matmulAdd(EjmlTensor target, EjmlTensor a, EjmlTensor b, boolean ta, boolean tb, FloatGemm floatGemm) {
    EjmlBackend.requireFloating(Op.MATMUL, a);
    EjmlBackend.requireSameDtype(Op.MATMUL, a, b);
    EjmlBackend.requireSameDtype(Op.MATMUL, target, a);
    int[] da = a.dims();
    int[] db = b.dims();
    int[] dc = target.dims();
    checkArgument(da.length == 2 && db.length == 2 && dc.length == 2,
        "matmul add: %s += %s x %s: all three need rank 2", target.shape(), a.shape(), b.shape());
    int m = ta ? da[1] : da[0];
    int k = ta ? da[0] : da[1];
    int n = tb ? db[0] : db[1];
    if (k != (tb ? db[1] : db[0]) || dc[0] != m || dc[1] != n) {
      throw new IllegalArgumentException(String.format("matmul add: %s += %s%s x %s%s: shapes do not fit",
          target.shape(), a.shape(), ta ? "^T" : "", b.shape(), tb ? "^T" : ""));
    }
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    if (a.dtype() == DType.FLOAT32) {
      floatGemm.multiplyAdd(ta, tb, m, n, k, a.floats(), 0, b.floats(), 0, target.floats(), 0);
      return;
    }
    DMatrixRMaj x = DMatrixRMaj.wrap(da[0], da[1], a.doubles());
    DMatrixRMaj y = DMatrixRMaj.wrap(db[0], db[1], b.doubles());
    DMatrixRMaj z = DMatrixRMaj.wrap(m, n, target.doubles());
    if (ta) {
      if (tb) {
        CommonOps_DDRM.multAddTransAB(x, y, z);
      } else {
        CommonOps_DDRM.multAddTransA(x, y, z);
      }
    } else if (tb) {
      CommonOps_DDRM.multAddTransB(x, y, z);
    } else {
      CommonOps_DDRM.multAdd(x, y, z);
    }
  }

  /**
   * The float64 matrices of one operand as arrays EJML can wrap: the operand's own array for the
   * matrix at offset 0, otherwise a scratch copy (not repeated while a broadcast operand stays on one
   * matrix).
   */
  private static final class MatrixSource {
    private final double[] data;
    private double[] scratch;
    private int cached = -1;

    MatrixSource(double[] data) {
      this.data = data;
    }

    /** A scratch array of at least {@code size} elements, allocated on first use. */
    double[] scratch(int size) {
      if (scratch == null || scratch.length < size) {
        scratch = new double[size];
        cached = -1;
      }
      return scratch;
    }

    /** The {@code size}-element matrix at {@code offset}, at index 0 of the returned array. */
    double[] at(int offset, int size) {
      if (offset == 0) {
        return data;
      }
      double[] s = scratch(size);
      if (offset != cached) {
        System.arraycopy(data, offset, s, 0, size);
        cached = offset;
      }
      return s;
    }
  }

  private static int[] scale(int[] strides, int factor) {
    int[] out = new int[strides.length];
    for (int i = 0; i < strides.length; i++) {
      out[i] = strides[i] * factor;
    }
    return out;
  }
}
