package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Batched matrix product on EJML's dense row-major GEMM ({@code CommonOps_FDRM} for float32,
 * {@code CommonOps_DDRM} for float64).
 *
 * <p>The batch axes (all but the last two) broadcast NumPy-style; a {@link StridedLoop} over the
 * broadcast batch shape yields the offset of every matrix of {@code a}, {@code b} and the result.
 * A matrix at offset 0 is handed to EJML as-is (EJML only reads the first {@code rows * cols}
 * elements of a wrapped array); any other is first copied into a scratch array. When {@code b} has
 * a single matrix and {@code a} is not transposed, the batch of {@code a} is folded into its rows
 * and the whole product is one GEMM.
 */
final class MatMul {
  private MatMul() {}

  /** One EJML product {@code c = op(a) @ op(b)}; {@code a} is stored {@code aRows x aCols}, etc. */
  @FunctionalInterface
  private interface Gemm {
    void multiply(Object a, int aRows, int aCols, Object b, int bRows, int bCols, Object c, int m, int n);
  }

  private static Gemm gemm(DType dtype, boolean ta, boolean tb) {
    if (dtype == DType.FLOAT32) {
      return (a, ar, ac, b, br, bc, c, m, n) -> {
        FMatrixRMaj x = FMatrixRMaj.wrap(ar, ac, (float[]) a);
        FMatrixRMaj y = FMatrixRMaj.wrap(br, bc, (float[]) b);
        FMatrixRMaj z = FMatrixRMaj.wrap(m, n, (float[]) c);
        if (ta) {
          if (tb) {
            CommonOps_FDRM.multTransAB(x, y, z);
          } else {
            CommonOps_FDRM.multTransA(x, y, z);
          }
        } else if (tb) {
          CommonOps_FDRM.multTransB(x, y, z);
        } else {
          CommonOps_FDRM.mult(x, y, z);
        }
      };
    }
    return (a, ar, ac, b, br, bc, c, m, n) -> {
      DMatrixRMaj x = DMatrixRMaj.wrap(ar, ac, (double[]) a);
      DMatrixRMaj y = DMatrixRMaj.wrap(br, bc, (double[]) b);
      DMatrixRMaj z = DMatrixRMaj.wrap(m, n, (double[]) c);
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
    };
  }

  /** {@code op(a) @ op(b)} over the last two axes with broadcast batch axes. */
  static EjmlTensor matmul(EjmlTensor a, EjmlTensor b, boolean ta, boolean tb) {
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
    Object out = Storage.allocate(a.dtype(), shape.size());
    if (shape.size() == 0 || k == 0) {
      return new EjmlTensor(shape, out); // empty, or a sum over nothing: zeros
    }
    Gemm gemm = gemm(a.dtype(), ta, tb);
    if (batchB.size() == 1 && !ta) {
      int rows = batchA.size() * aRows;
      gemm.multiply(a.data(), rows, aCols, b.data(), bRows, bCols, out, rows, n);
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
    MatrixSource as = new MatrixSource(a, aSize);
    MatrixSource bs = new MatrixSource(b, bSize);
    Object cScratch = Storage.allocate(a.dtype(), cSize);
    loop.forEachRow((o, len) -> {
      for (int j = 0, c = o[0], x = o[1], y = o[2]; j < len; j++, c += sc, x += sa, y += sb) {
        Object cm = c == 0 ? out : cScratch;
        gemm.multiply(as.at(x), aRows, aCols, bs.at(y), bRows, bCols, cm, m, n);
        if (c != 0) {
          System.arraycopy(cScratch, 0, out, c, cSize);
        }
      }
    });
    return new EjmlTensor(shape, out);
  }

  /**
   * The matrices of one operand as arrays EJML can wrap: the operand's own array for the matrix at
   * offset 0, otherwise a scratch copy (not repeated while a broadcast operand stays on one matrix).
   */
  private static final class MatrixSource {
    private final Object data;
    private final int size;
    private final Object scratch;
    private int cached = -1;

    MatrixSource(EjmlTensor t, int size) {
      this.data = t.data();
      this.size = size;
      this.scratch = Storage.allocate(t.dtype(), size);
    }

    Object at(int offset) {
      if (offset == 0) {
        return data;
      }
      if (offset != cached) {
        System.arraycopy(data, offset, scratch, 0, size);
        cached = offset;
      }
      return scratch;
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
