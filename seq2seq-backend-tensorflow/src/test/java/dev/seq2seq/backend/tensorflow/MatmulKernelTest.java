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
