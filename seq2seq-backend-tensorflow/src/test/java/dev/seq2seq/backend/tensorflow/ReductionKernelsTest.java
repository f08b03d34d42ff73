package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.DType;
import org.junit.jupiter.api.Test;

/** Sum/mean/max, argmax, top-k, softmax and log-softmax. */
class ReductionKernelsTest extends TfTestSupport {
  // x[i][j][k] = i*12 + j*4 + k with shape [2, 3, 4]
  private static final double[] X = range(24);

  @Test
  void reductionsOverAxesWithAndWithoutKeepDims() {
    for (DType dt : FLOATS) {
      RawTensor x = t(dt, X, 2, 3, 4);
      // sum over axis 1: out[i][k] = sum_j (12i + 4j + k) = 36i + 12 + 3k
      double[] s1 = new double[8];
      for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 4; k++) {
          s1[i * 4 + k] = 36 * i + 12 + 3 * k;
        }
      }
      assertValues(track(backend().reduce(Op.SUM, x, new int[] {1}, false)), dt, s1, 2, 4);
      assertValues(track(backend().reduce(Op.SUM, x, new int[] {1}, true)), dt, s1, 2, 1, 4);
      // mean over axes 0 and 2: out[j] = mean_{i,k} (12i + 4j + k) = 6 + 4j + 1.5
      assertValues(track(backend().reduce(Op.MEAN, x, new int[] {0, 2}, false)), dt, new double[] {7.5, 11.5, 15.5}, 3);
      assertValues(track(backend().reduce(Op.MAX, x, new int[] {0, 1, 2}, false)), dt, new double[] {23});
      assertValues(track(backend().reduce(Op.MAX, x, new int[] {2}, true)), dt,
          new double[] {3, 7, 11, 15, 19, 23}, 2, 3, 1);
    }
  }

  @Test
  void int32SumAndMaxButNoMean() {
    RawTensor x = ints(new int[] {1, -5, 3, 4}, 2, 2);
    assertThat(track(backend().reduce(Op.SUM, x, new int[] {0}, false)).toIntArray()).containsExactly(4, -1);
    assertThat(track(backend().reduce(Op.MAX, x, new int[] {1}, false)).toIntArray()).containsExactly(1, 4);
    assertThatThrownBy(() -> backend().reduce(Op.MEAN, x, new int[] {0}, false))
        .isInstanceOf(UnsupportedOpException.class).hasMessageContaining("mean");
  }

  @Test
  void argmaxTakesTheFirstOfEqualMaxima() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      RawTensor x = t(dt, new double[] {4, 9, 9, 1, 2, 2, 0, 2}, 2, 4);
      RawTensor rows = track(backend().argmax(x, 1));
      assertThat(rows.dtype()).isEqualTo(DType.INT32);
      assertThat(rows.shape().toArray()).containsExactly(2);
      assertThat(rows.toIntArray()).containsExactly(1, 0);
      assertThat(track(backend().argmax(x, 0)).toIntArray()).containsExactly(0, 0, 0, 1);
    }
  }

  @Test
  void topKIsDescendingWithLowerIndicesFirstOnTies() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      RawTensor x = t(dt, new double[] {5, 1, 5, 3, 5, 0, -1, 2, 2, -1}, 2, 5);
      RawTensor[] top = track(backend().topK(x, 3));
      assertValues(top[0], dt, new double[] {5, 5, 5, 2, 2, 0}, 2, 3);
      assertThat(top[1].dtype()).isEqualTo(DType.INT32);
      assertThat(top[1].shape().toArray()).containsExactly(2, 3);
      assertThat(top[1].toIntArray()).containsExactly(0, 2, 4, 2, 3, 0);
    }
  }

  @Test
  void softmaxAndLogSoftmaxAlongEveryAxisMatchNaiveLoops() {
    double[] v = {0.5, -1, 2, 3, 0, 1, -2, 4, 1.5, 0.25, -0.75, 2.5, 1, 1, 1, 1, 3, -3, 0, 2, 0.1, 0.2, 0.3, 0.4};
    for (DType dt : FLOATS) {
      RawTensor x = t(dt, v, 2, 3, 4);
      for (int axis = 0; axis < 3; axis++) {
        double[] p = naiveSoftmax(v, new int[] {2, 3, 4}, axis, false);
        double[] lp = naiveSoftmax(v, new int[] {2, 3, 4}, axis, true);
        assertValues(track(backend().softmax(x, axis)), dt, p, 2, 3, 4);
        assertValues(track(backend().logSoftmax(x, axis)), dt, lp, 2, 3, 4);
      }
    }
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    // exp(1000) overflows; a stable softmax subtracts the maximum first. The inputs are exact in float32.
    for (DType dt : FLOATS) {
      RawTensor x = t(dt, new double[] {1000, 1001, 1002, -1000, -1001, -1002}, 2, 3);
      double z = 1 + Math.exp(1) + Math.exp(2);
      double[] p = {1 / z, Math.E / z, Math.exp(2) / z, Math.exp(2) / z, Math.E / z, 1 / z};
      assertValues(track(backend().softmax(x, 1)), dt, p, 2, 3);
      double[] lp = new double[6];
      for (int i = 0; i < 6; i++) {
        lp[i] = Math.log(p[i]);
      }
      assertValues(track(backend().logSoftmax(x, 1)), dt, lp, 2, 3);
    }
  }

  /** Softmax along {@code axis} by direct loops over a row-major array. */
  private static double[] naiveSoftmax(double[] v, int[] dims, int axis, boolean log) {
    int outer = 1;
    int inner = 1;
    for (int i = 0; i < axis; i++) {
      outer *= dims[i];
    }
    for (int i = axis + 1; i < dims.length; i++) {
      inner *= dims[i];
    }
    int n = dims[axis];
    double[] out = new double[v.length];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
          sum += Math.exp(v[(o * n + j) * inner + in]);
        }
        for (int j = 0; j < n; j++) {
          int idx = (o * n + j) * inner + in;
          out[idx] = log ? v[idx] - Math.log(sum) : Math.exp(v[idx]) / sum;
        }
      }
    }
    return out;
  }
}
