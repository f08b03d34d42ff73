package dev.seq2seq.backend.ejml.gemm;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The fallback: EJML's single-threaded {@code CommonOps_FDRM} products (about 6.5 GFLOP/s). EJML
 * reads a wrapped array from index 0, so a matrix at a non-zero offset is copied first.
 */
final class EjmlFloatGemm implements FloatGemm {
  static final EjmlFloatGemm INSTANCE = new EjmlFloatGemm();

  private EjmlFloatGemm() {}

  @Override
  public String name() {
    return FloatGemms.EJML;
  }

  @Override
  public String description() {
    return "float32 GEMM: EJML CommonOps_FDRM";
  }

  @Override
  public void multiply(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      Arrays.fill(c, cOff, cOff + m * n, 0f);
      return;
    }
    FMatrixRMaj x = transA ? wrap(k, m, a, aOff) : wrap(m, k, a, aOff);
    FMatrixRMaj y = transB ? wrap(n, k, b, bOff) : wrap(k, n, b, bOff);
    FMatrixRMaj z = cOff == 0 ? FMatrixRMaj.wrap(m, n, c) : new FMatrixRMaj(m, n);
    if (transA) {
      if (transB) {
        CommonOps_FDRM.multTransAB(x, y, z);
      } else {
        CommonOps_FDRM.multTransA(x, y, z);
      }
    } else if (transB) {
      CommonOps_FDRM.multTransB(x, y, z);
    } else {
      CommonOps_FDRM.mult(x, y, z);
    }
    if (z.data != c) {
      System.arraycopy(z.data, 0, c, cOff, m * n);
    }
  }

  private static FMatrixRMaj wrap(int rows, int cols, float[] data, int offset) {
    return FMatrixRMaj.wrap(rows, cols, offset == 0 ? data : Arrays.copyOfRange(data, offset, offset + rows * cols));
  }
}
