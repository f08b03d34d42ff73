package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Matrix products with transpose flags and broadcast batch axes. */
class MatmulKernelTest extends TfTestSupport {
  @Test
  void twoByTwoByHandWithEveryTransposeCombination() {
    for (DType dt : FLOATS) {
      RawTensor a = t(dt, new double[] {1, 2, 3, 4}, 2, 2);
      RawTensor b = t(dt, new double[] {5, 6, 7, 8}, 2, 2);
      assertValues(track(backend().matmul(a, b, false, false)), dt, new double[] {19, 22, 43, 50}, 2, 2);
      assertValues(track(backend().matmul(a, b, true, false)), dt, new double[] {26, 30, 38, 44}, 2, 2);
      assertValues(track(backend().matmul(a, b, false, true)), dt, new double[] {17, 23, 39, 53}, 2, 2);
      assertValues(track(backend().matmul(a, b, true, true)), dt, new double[] {23, 31, 34, 46}, 2, 2);
    }
  }

  @Test
  void batchAxesBroadcastAcrossRanks() {
    // a: [2, 1, 2, 3], b: [3, 3, 2] (transposed: [3, 2, 3] stored as b^T) -> [2, 3, 2, 2]
    int[] aDims = {2, 1, 2, 3};
    int[] bDims = {3, 3, 2};
    double[] av = new double[12];
    double[] bv = new double[18];
    for (int i = 0; i < av.length; i++) {
      av[i] = (i % 5) - 1.5;
    }
    for (int i = 0; i < bv.length; i++) {
      bv[i] = (i % 7) * 0.5 - 1;
    }
    double[] expected = new double[2 * 3 * 2 * 2];
    for (int p = 0; p < 2; p++) {
      for (int q = 0; q < 3; q++) {
        for (int m = 0; m < 2; m++) {
          for (int n = 0; n < 2; n++) {
            double s = 0;
            for (int k = 0; k < 3; k++) {
              s += av[(p * 2 + m) * 3 + k] * bv[(q * 3 + k) * 2 + n];
            }
            expected[((p * 3 + q) * 2 + m) * 2 + n] = s;
          }
        }
      }
    }
    for (DType dt : FLOATS) {
      RawTensor a = t(dt, av, aDims);
      RawTensor b = t(dt, bv, bDims);
      assertValues(track(backend().matmul(a, b, false, false)), dt, expected, 2, 3, 2, 2);
      // the same product from a^T (stored [2,1,3,2]) with transposeA
      double[] at = new double[12];
      for (int p = 0; p < 2; p++) {
        for (int m = 0; m < 2; m++) {
          for (int k = 0; k < 3; k++) {
            at[(p * 3 + k) * 2 + m] = av[(p * 2 + m) * 3 + k];
          }
        }
      }
      assertValues(track(backend().matmul(t(dt, at, 2, 1, 3, 2), b, true, false)), dt, expected, 2, 3, 2, 2);
    }
  }

  /** One-row and depth-1 products take BatchMatMulV3, the others BatchMatMulV2: both against a loop, every transpose. */
  @ParameterizedTest(name = "batch of {0}x{1}x{2}")
  @CsvSource({"1, 3, 4", "3, 1, 4", "3, 5, 4", "2, 2, 1"})
  void batchedProductsOfOneRowOrDepthOneAndOfMoreMatchALoop(int m, int k, int n) {
    int batch = 3;
    double[] av = new double[batch * m * k];
    double[] bv = new double[batch * k * n];
    for (int i = 0; i < av.length; i++) {
      av[i] = (i % 7) * 0.25 - 0.75;
    }
    for (int i = 0; i < bv.length; i++) {
      bv[i] = (i % 5) * 0.5 - 1;
    }
    double[] expected = new double[batch * m * n];
    for (int p = 0; p < batch; p++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int q = 0; q < k; q++) {
            sum += av[(p * m + i) * k + q] * bv[(p * k + q) * n + j];
          }
          expected[(p * m + i) * n + j] = sum;
        }
      }
    }
    double[] at = transposeLastTwo(av, batch, m, k);
    double[] bt = transposeLastTwo(bv, batch, k, n);
    for (DType dt : FLOATS) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          RawTensor a = ta ? t(dt, at, batch, k, m) : t(dt, av, batch, m, k);
          RawTensor b = tb ? t(dt, bt, batch, n, k) : t(dt, bv, batch, k, n);
          assertValues(track(backend().matmul(a, b, ta, tb)), dt, expected, batch, m, n);
        }
      }
    }
  }

  /**
   * Batches whose batch axes broadcast, with a size-1 batch axis in {@code a} as in Bahdanau's scores
   * ({@code [B, Tq, S, A] x [1, A]^T} with one query): TensorFlow 2.18's oneDNN {@code BatchMatMulV2}
   * computed wrong values for these and corrupted the heap (see {@link MatmulKernel}). Against a loop,
   * several times, since an out-of-bounds write need not show at once.
   */
  @ParameterizedTest(name = "{0}{2} x {1}{3}")
  @CsvSource({
      "'8,1,5,16', '16,3', '', ''", "'8,1,5,16', '1,16', '', ^T", "'8,1,4,5', '1,1,5,3', '', ''",
      "'8,1,5,4', '5,3', ^T, ''", "'8,1,4,5', '1,3,5,2', '', ''", "'6,1,4,5', '5,2', '', ''"})
  void broadcastBatchesWithASizeOneAxisMatchALoop(String aDims, String bDims, String ta, String tb) {
    int[] da = dims(aDims);
    int[] db = dims(bDims);
    boolean transposeA = !ta.isEmpty();
    boolean transposeB = !tb.isEmpty();
    double[] av = pattern(size(da), 7, 0.25);
    double[] bv = pattern(size(db), 5, 0.5);
    int[] outDims = new int[Math.max(da.length, db.length)];
    double[] expected = broadcastProduct(av, da, transposeA, bv, db, transposeB, outDims);
    for (DType dt : FLOATS) {
      for (int repeat = 0; repeat < 5; repeat++) {
        RawTensor out = track(backend().matmul(t(dt, av, da), t(dt, bv, db), transposeA, transposeB));
        assertValues(out, dt, expected, outDims);
      }
    }
  }

  private static int[] dims(String csv) {
    return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static int size(int[] dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  private static double[] pattern(int n, int period, double step) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i % period) * step - (period / 2) * step;
    }
    return v;
  }

  /** {@code op(a) @ op(b)} with NumPy batch broadcasting, by loops; writes the result's dims to {@code outDims}. */
  private static double[] broadcastProduct(double[] a, int[] da, boolean ta, double[] b, int[] db, boolean tb,
      int[] outDims) {
    int rank = outDims.length;
    int m = ta ? da[da.length - 1] : da[da.length - 2];
    int k = ta ? da[da.length - 2] : da[da.length - 1];
    int n = tb ? db[db.length - 2] : db[db.length - 1];
    int[] batchA = new int[rank - 2];
    int[] batchB = new int[rank - 2];
    int batches = 1;
    for (int i = 0; i < rank - 2; i++) {
      int ia = i - (rank - da.length);
      int ib = i - (rank - db.length);
      batchA[i] = ia >= 0 ? da[ia] : 1;
      batchB[i] = ib >= 0 ? db[ib] : 1;
      outDims[i] = Math.max(batchA[i], batchB[i]);
      batches *= outDims[i];
    }
    outDims[rank - 2] = m;
    outDims[rank - 1] = n;
    double[] out = new double[batches * m * n];
    for (int p = 0; p < batches; p++) {
      int offsetA = 0;
      int offsetB = 0;
      int strideA = 1;
      int strideB = 1;
      int rest = p;
      for (int i = rank - 3; i >= 0; i--) {
        int index = rest % outDims[i];
        rest /= outDims[i];
        offsetA += (batchA[i] == 1 ? 0 : index) * strideA;
        offsetB += (batchB[i] == 1 ? 0 : index) * strideB;
        strideA *= batchA[i];
        strideB *= batchB[i];
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int q = 0; q < k; q++) {
            double x = a[offsetA * m * k + (ta ? q * m + i : i * k + q)];
            double y = b[offsetB * k * n + (tb ? j * k + q : q * n + j)];
            sum += x * y;
          }
          out[(p * m + i) * n + j] = sum;
        }
      }
    }
    return out;
  }

  private static double[] transposeLastTwo(double[] x, int batch, int rows, int cols) {
    double[] out = new double[x.length];
    for (int p = 0; p < batch; p++) {
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          out[(p * cols + j) * rows + i] = x[(p * rows + i) * cols + j];
        }
      }
    }
    return out;
  }

  @Test
  void int32MatmulIsUnsupported() {
    RawTensor a = ints(new int[] {1, 2, 3, 4}, 2, 2);
    assertThatThrownBy(() -> backend().matmul(a, a, false, false)).isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("matmul");
  }
}
