package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reductions over middle axes and softmax along a middle axis, against naive loops. */
class ReductionsTest {
  private static final int[] DIMS = {2, 3, 4, 5};

  private final EjmlBackend backend = new EjmlBackend();
  private final double[] x = new Random(3).doubles(120, -5, 5).toArray();

  private double at(int i, int j, int k, int l) {
    return x[((i * 3 + j) * 4 + k) * 5 + l];
  }

  @ParameterizedTest(name = "keepDims={0}")
  @ValueSource(booleans = {true, false})
  void sumOverTheTwoMiddleAxes(boolean keepDims) {
    RawTensor out = backend.reduce(Op.SUM, backend.fromDoubles(x, Shape.of(DIMS)), new int[] {1, 2}, keepDims);

    double[] expected = new double[10];
    for (int i = 0; i < 2; i++) {
      for (int l = 0; l < 5; l++) {
        for (int j = 0; j < 3; j++) {
          for (int k = 0; k < 4; k++) {
            expected[i * 5 + l] += at(i, j, k, l);
          }
        }
      }
    }
    assertThat(out.shape()).isEqualTo(keepDims ? Shape.of(2, 1, 1, 5) : Shape.of(2, 5));
    assertThat(out.toDoubleArray()).containsExactly(expected, within(1e-12));
  }

  @ParameterizedTest(name = "keepDims={0}")
  @ValueSource(booleans = {true, false})
  void maxOverNonAdjacentAxes(boolean keepDims) {
    RawTensor out = backend.reduce(Op.MAX, backend.fromDoubles(x, Shape.of(DIMS)), new int[] {1, 3}, keepDims);

    double[] expected = new double[8];
    Arrays.fill(expected, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          for (int l = 0; l < 5; l++) {
            expected[i * 4 + k] = Math.max(expected[i * 4 + k], at(i, j, k, l));
          }
        }
      }
    }
    assertThat(out.shape()).isEqualTo(keepDims ? Shape.of(2, 1, 4, 1) : Shape.of(2, 4));
    assertThat(out.toDoubleArray()).containsExactly(expected);
  }

  @Test
  void meanOverOuterAndInnerMiddleAxesOnFloat32() {
    float[] f = new float[120];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) x[i];
    }
    RawTensor out = backend.reduce(Op.MEAN, backend.fromFloats(f, Shape.of(DIMS)), new int[] {0, 2}, false);

    double[] expected = new double[15];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          for (int l = 0; l < 5; l++) {
            expected[j * 5 + l] += f[((i * 3 + j) * 4 + k) * 5 + l] / 8.0;
          }
        }
      }
    }
    assertThat(out.shape()).isEqualTo(Shape.of(3, 5));
    float[] actual = out.toFloatArray();
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-6));
    }
  }

  @Test
  void int32SumAndMaxButNoMean() {
    RawTensor t = backend.fromInts(new int[] {1, -2, 3, 4, 5, -6}, Shape.of(2, 3));

    assertThat(backend.reduce(Op.SUM, t, new int[] {1}, false).toIntArray()).containsExactly(2, 3);
    assertThat(backend.reduce(Op.MAX, t, new int[] {0}, true).toIntArray()).containsExactly(4, 5, 3);
    assertThat(backend.reduce(Op.SUM, t, new int[] {0, 1}, false).shape()).isEqualTo(Shape.scalar());
    assertThatThrownBy(() -> backend.reduce(Op.MEAN, t, new int[] {1}, false)).isInstanceOf(UnsupportedOpException.class);
  }

  @Test
  void float32SumOfAMillionTenthsIsAccurate() {
    float[] tenths = new float[1_000_000];
    Arrays.fill(tenths, 0.1f);
    double exact = 1_000_000 * (double) 0.1f; // 100000.00149...

    float sum = backend.reduce(Op.SUM, backend.fromFloats(tenths, Shape.of(1000, 1000)), new int[] {0, 1}, false).toFloatArray()[0];

    assertThat(Math.abs(sum - exact) / exact).isLessThan(1e-6);
  }

  @Test
  void softmaxAlongAMiddleAxis() {
    RawTensor out = backend.softmax(backend.fromDoubles(x, Shape.of(DIMS)), 2);
    RawTensor log = backend.logSoftmax(backend.fromDoubles(x, Shape.of(DIMS)), 2);

    double[] expected = new double[120];
    double[] expectedLog = new double[120];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int l = 0; l < 5; l++) {
          double denominator = 0;
          for (int k = 0; k < 4; k++) {
            denominator += Math.exp(at(i, j, k, l));
          }
          for (int k = 0; k < 4; k++) {
            int flat = ((i * 3 + j) * 4 + k) * 5 + l;
            expected[flat] = Math.exp(at(i, j, k, l)) / denominator;
            expectedLog[flat] = at(i, j, k, l) - Math.log(denominator);
          }
        }
      }
    }
    assertThat(out.toDoubleArray()).containsExactly(expected, within(1e-12));
    assertThat(log.toDoubleArray()).containsExactly(expectedLog, within(1e-12));
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    RawTensor t = backend.fromFloats(new float[] {1000, 1001, 1002}, Shape.of(1, 3));

    float[] p = backend.softmax(t, 1).toFloatArray();
    float[] logP = backend.logSoftmax(t, 1).toFloatArray();

    double z = 1 + Math.exp(-1) + Math.exp(-2); // softmax of [-2, -1, 0]
    assertThat((double) p[2]).isCloseTo(1 / z, within(1e-7));
    assertThat((double) p[0]).isCloseTo(Math.exp(-2) / z, within(1e-7));
    assertThat((double) logP[0]).isCloseTo(-2 - Math.log(z), within(1e-6));
  }

  /**
   * Float32 softmax: error bound in float32 ulps of p (exp's 3, the sum's, the reciprocal's and the
   * product's rounding), plus p times the rounding of the shifted logit {@code x - max} in float,
   * at most {@code ulp(|log p|)}: that one dominates for tiny p (8e-12 came out 1e-6 off relatively).
   */
  private static final int SOFTMAX_ULPS = 8;
  /** Float32 log-softmax: absolute error bound in ulps of {@code max(|log p|, 1)}. */
  private static final int LOG_SOFTMAX_ULPS = 4;

  @ParameterizedTest(name = "rows of {0}")
  @ValueSource(ints = {20, 1000, 37})
  void float32SoftmaxAndLogSoftmaxAreWithinAFewUlpsOfTheFloat64Results(int n) {
    Random random = new Random(n);
    double[] v = new double[8 * n];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian() * 4;
    }
    RawTensor doubles = backend.fromDoubles(v, Shape.of(8, n));
    RawTensor floats = backend.cast(doubles, dev.seq2seq.api.tensor.DType.FLOAT32);
    // the float64 path on the same (float-rounded) logits
    RawTensor exactInput = backend.cast(floats, dev.seq2seq.api.tensor.DType.FLOAT64);
    for (int axis : new int[] {1, 0}) { // the last axis (whole-tensor passes) and a strided one (line by line)
      assertWithinUlps(backend.softmax(exactInput, axis).toDoubleArray(), backend.logSoftmax(exactInput, axis).toDoubleArray(),
          backend.softmax(floats, axis).toFloatArray(), backend.logSoftmax(floats, axis).toFloatArray());
    }
  }

  private static void assertWithinUlps(double[] p, double[] logP, float[] p32, float[] logP32) {
    for (int i = 0; i < p.length; i++) {
      double shiftRounding = p[i] * Math.ulp((float) Math.abs(logP[i]));
      assertThat((double) p32[i]).as("softmax element %s within %s ulps + p ulp(|log p|)", i, SOFTMAX_ULPS)
          .isCloseTo(p[i], within(SOFTMAX_ULPS * (double) Math.ulp((float) p[i]) + shiftRounding));
      assertThat((double) logP32[i]).as("log-softmax element %s within %s ulps of max(|log p|, 1)", i, LOG_SOFTMAX_ULPS)
          .isCloseTo(logP[i], within(LOG_SOFTMAX_ULPS * (double) Math.ulp((float) Math.max(Math.abs(logP[i]), 1))));
    }
  }

  @Test
  void float32SoftmaxOfEmptyTensorsIsEmpty() {
    for (Shape shape : new Shape[] {Shape.of(2, 0), Shape.of(0, 5)}) {
      RawTensor x = backend.fromFloats(new float[0], shape);
      assertThat(backend.softmax(x, 1).shape()).as("softmax of %s", shape).isEqualTo(shape);
      assertThat(backend.logSoftmax(x, 1).toFloatArray()).as("log-softmax of %s", shape).isEmpty();
    }
  }
}
