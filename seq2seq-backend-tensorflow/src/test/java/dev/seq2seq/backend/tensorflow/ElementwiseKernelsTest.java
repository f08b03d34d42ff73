package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.DType;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unary, binary, where and cast kernels. */
class ElementwiseKernelsTest extends TfTestSupport {
  private static final double[] X = {-2, -0.5, 0, 0.25, 1, 3};

  @Test
  void unaryOpsMatchJavaMath() {
    for (DType dt : FLOATS) {
      RawTensor x = t(dt, X, 2, 3);
      check(dt, Op.NEG, x, v -> -v);
      check(dt, Op.EXP, x, Math::exp);
      check(dt, Op.TANH, x, Math::tanh);
      check(dt, Op.SIGMOID, x, v -> 1 / (1 + Math.exp(-v)));
      check(dt, Op.RELU, x, v -> v > 0 ? v : 0);
      RawTensor pos = t(dt, new double[] {0.25, 1, 4, 9, 2, 0.5}, 2, 3);
      check(dt, Op.LOG, pos, Math::log);
      check(dt, Op.SQRT, pos, Math::sqrt);
    }
  }

  @Test
  void logAndSqrtEdgeValues() {
    RawTensor x = t(DType.FLOAT64, new double[] {0, -1}, 2);
    double[] log = track(backend().unary(Op.LOG, x)).toDoubleArray();
    assertThat(log[0]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(log[1]).isNaN();
    assertThat(track(backend().unary(Op.SQRT, x)).toDoubleArray()[1]).isNaN();
  }

  private void check(DType dt, Op op, RawTensor x, DoubleUnaryOperator f) {
    double[] in = x.toDoubleArray();
    double[] expected = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      expected[i] = f.applyAsDouble(in[i]);
    }
    assertValues(track(backend().unary(op, x)), dt, expected, x.shape().toArray());
  }

  @ParameterizedTest(name = "{0} elements")
  @ValueSource(ints = {1024, 1031, 65536}) // whole vector lanes; a scalar tail, where SigmoidGrad rounds otherwise; split over threads
  void activationGradientsGiveTheBitsOfTheirCompositions(int n) {
    java.util.Random rnd = new java.util.Random(3);
    for (DType dt : FLOATS) {
      double[] g = new double[n];
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        g[i] = rnd.nextGaussian() * 3;
        x[i] = rnd.nextGaussian() * 4;
      }
      x[0] = 0;
      x[1] = -0.0;
      g[2] = Double.NaN;
      g[3] = -1; // with x <= 0 below: ReLU's gradient is -0, as the product gives
      x[3] = -2;
      RawTensor gt = t(dt, g, n);
      RawTensor xt = t(dt, x, n);
      RawTensor one = t(dt, new double[] {1});
      RawTensor s = track(backend().unary(Op.SIGMOID, xt));
      RawTensor th = track(backend().unary(Op.TANH, xt));
      // g * (y * (1 - y)), g * (1 - y * y), g * (x > 0): the compositions autodiff would build
      RawTensor sigmoidComposed = track(backend().binary(Op.MUL, gt,
          track(backend().binary(Op.MUL, s, track(backend().binary(Op.SUB, one, s))))));
      RawTensor tanhComposed = track(backend().binary(Op.MUL, gt,
          track(backend().binary(Op.SUB, one, track(backend().binary(Op.MUL, th, th))))));
      RawTensor reluComposed = track(backend().binary(Op.MUL, gt,
          track(backend().binary(Op.GREATER, xt, t(dt, new double[] {0})))));
      assertSameBits(track(backend().sigmoidGradient(gt, s)).toDoubleArray(), sigmoidComposed.toDoubleArray(), "sigmoid " + dt);
      assertSameBits(track(backend().tanhGradient(gt, th)).toDoubleArray(), tanhComposed.toDoubleArray(), "tanh " + dt);
      double[] relu = track(backend().reluGradient(gt, xt)).toDoubleArray();
      assertSameBits(relu, reluComposed.toDoubleArray(), "relu " + dt);
      assertThat(Double.doubleToRawLongBits(relu[3])).as("ReluGrad of -1 at x = -2 is -0").isEqualTo(Double.doubleToRawLongBits(-0.0));
      assertThat(relu[2]).as("ReluGrad of NaN").isNaN();
    }
  }

  /** Element by element, NaN matching NaN; names the first differing element (arrays of a thousand print badly). */
  private static void assertSameBits(double[] actual, double[] expected, String what) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      boolean same = Double.doubleToRawLongBits(actual[i]) == Double.doubleToRawLongBits(expected[i])
          || (Double.isNaN(actual[i]) && Double.isNaN(expected[i]));
      assertThat(same).as("%s gradient, element %d of %d: %s, composition %s", what, i, actual.length, actual[i], expected[i]).isTrue();
    }
  }

  @Test
  void binaryArithmeticBroadcasts() {
    for (DType dt : FLOATS) {
      RawTensor a = t(dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
      RawTensor row = t(dt, new double[] {2, 4, 8}, 3);
      RawTensor col = t(dt, new double[] {10, 20}, 2, 1);
      assertValues(track(backend().binary(Op.ADD, a, row)), dt, new double[] {3, 6, 11, 6, 9, 14}, 2, 3);
      assertValues(track(backend().binary(Op.SUB, a, col)), dt, new double[] {-9, -8, -7, -16, -15, -14}, 2, 3);
      assertValues(track(backend().binary(Op.MUL, row, col)), dt, new double[] {20, 40, 80, 40, 80, 160}, 2, 3);
      assertValues(track(backend().binary(Op.DIV, a, row)), dt, new double[] {0.5, 0.5, 0.375, 2, 1.25, 0.75}, 2, 3);
      assertValues(track(backend().binary(Op.MAXIMUM, a, t(dt, new double[] {3}))), dt,
          new double[] {3, 3, 3, 4, 5, 6}, 2, 3);
    }
  }

  @Test
  void comparisonsReturnOnesAndZerosInTheInputDtype() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      RawTensor a = t(dt, new double[] {1, 2, 3, 2}, 2, 2);
      RawTensor b = t(dt, new double[] {2, 2}, 2);
      assertValues(track(backend().binary(Op.EQUAL, a, b)), dt, new double[] {0, 1, 0, 1}, 2, 2);
      assertValues(track(backend().binary(Op.GREATER, a, b)), dt, new double[] {0, 0, 1, 0}, 2, 2);
      assertValues(track(backend().binary(Op.LESS, a, b)), dt, new double[] {1, 0, 0, 0}, 2, 2);
    }
  }

  @Test
  void int32ArithmeticAndItsLimits() {
    RawTensor a = ints(new int[] {7, -7, 100000, 0}, 4);
    RawTensor b = ints(new int[] {2}, 1);
    assertThat(track(backend().binary(Op.ADD, a, b)).toIntArray()).containsExactly(9, -5, 100002, 2);
    assertThat(track(backend().binary(Op.SUB, a, b)).toIntArray()).containsExactly(5, -9, 99998, -2);
    assertThat(track(backend().binary(Op.MUL, a, b)).toIntArray()).containsExactly(14, -14, 200000, 0);
    assertThat(track(backend().binary(Op.MAXIMUM, a, b)).toIntArray()).containsExactly(7, 2, 100000, 2);
    assertThatThrownBy(() -> backend().binary(Op.DIV, a, b)).isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("div").hasMessageContaining("tensorflow").hasMessageContaining("int32");
    assertThatThrownBy(() -> backend().unary(Op.NEG, a)).isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("neg");
  }

  @Test
  void whereSelectsOnNonZeroWithBroadcasting() {
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
      RawTensor a = t(dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
      RawTensor b = t(dt, new double[] {-1}, 1);
      RawTensor floatCond = t(DType.FLOAT64, new double[] {0.5, 0, -2}, 3); // any non-zero selects a
      assertValues(track(backend().where(floatCond, a, b)), dt, new double[] {1, -1, 3, 4, -1, 6}, 2, 3);
      RawTensor intCond = ints(new int[] {0, 7}, 2, 1);
      assertValues(track(backend().where(intCond, a, b)), dt, new double[] {-1, -1, -1, 4, 5, 6}, 2, 3);
    }
  }

  @Test
  void castTruncatesTowardZeroAndConvertsBetweenFloats() {
    RawTensor f = t(DType.FLOAT64, new double[] {2.9, -2.9, 0.5, -0.5, 7}, 5);
    assertThat(track(backend().cast(f, DType.INT32)).toIntArray()).containsExactly(2, -2, 0, 0, 7);
    RawTensor g = t(DType.FLOAT32, new double[] {1.99f, -1.99f}, 2);
    assertThat(track(backend().cast(g, DType.INT32)).toIntArray()).containsExactly(1, -1);
    assertValues(track(backend().cast(ints(new int[] {-3, 5}, 2), DType.FLOAT32)), DType.FLOAT32, new double[] {-3, 5}, 2);
    RawTensor d = track(backend().cast(g, DType.FLOAT64));
    assertThat(d.toDoubleArray()).containsExactly(1.99f, -1.99f);
    RawTensor same = track(backend().cast(g, DType.FLOAT32));
    assertThat(same).isNotSameAs(g);
    assertThat(same.toFloatArray()).containsExactly(1.99f, -1.99f);
  }
}
