package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused sigmoid, tanh and ReLU backward kernels give exactly the numbers of the elementwise
 * composition autodiff uses without them, so the capability changes speed, not results.
 */
class ActivationGradientsTest {
  private static final Shape SHAPE = Shape.of(7, 9);

  private final EjmlBackend backend = new EjmlBackend();

  private RawTensor random(DType dtype, Random random, double scale) {
    double[] v = new double[SHAPE.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian() * scale;
    }
    RawTensor d = backend.fromDoubles(v, SHAPE);
    return dtype == DType.FLOAT64 ? d : backend.cast(d, dtype);
  }

  /** The composition autodiff falls back to for ReLU: {@code g * (x > 0)}. */
  private double[] composedRelu(RawTensor g, RawTensor x) {
    try (GradMode.Scope ignored = GradMode.disabled()) {
      return Tensor.wrap(backend, g).mul(Tensor.wrap(backend, x).gt(0.0)).raw().toDoubleArray();
    }
  }

  @Test
  void fusedReluGradientEqualsTheCompositionIncludingSignedZerosAndNan() {
    Random random = new Random(13);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      double[] xv = random(DType.FLOAT64, random, 1).toDoubleArray();
      double[] specials = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
          Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL};
      System.arraycopy(specials, 0, xv, 2, specials.length);
      RawTensor x = backend.cast(backend.fromDoubles(xv, SHAPE), dtype);
      double[] gv = random(DType.FLOAT64, random, 1).toDoubleArray();
      gv[0] = Double.NaN;
      gv[1] = -0.0;
      gv[5] = Double.POSITIVE_INFINITY; // times a zero step: NaN, as in the composition
      RawTensor g = backend.cast(backend.fromDoubles(gv, SHAPE), dtype);

      RawTensor grad = backend.reluGradient(g, x);

      double[] expected = composedRelu(g, x);
      double[] actual = grad.toDoubleArray();
      for (int i = 0; i < expected.length; i++) {
        assertThat(Double.doubleToRawLongBits(actual[i])).as("relu gradient %s element %s", dtype.label(), i)
            .isEqualTo(Double.doubleToRawLongBits(expected[i]));
      }
    }
  }

  @Test
  void branchFreePositiveStepIsOneExactlyWhereXIsAboveZeroOverASweepOfAllBitPatterns() {
    // every 257th pattern (all exponents and signs, NaNs included) plus the edges of the range
    for (long bits = Integer.MIN_VALUE; bits <= Integer.MAX_VALUE; bits += 257) {
      float x = Float.intBitsToFloat((int) bits);
      assertThat(Elementwise.positiveStep(x)).as("step of bits %x", bits).isEqualTo(x > 0f ? 1f : 0f);
    }
    for (int bits : new int[] {0, 1, 0x7F800000, 0x7F800001, 0x7FFFFFFF, 0x80000000, 0x80000001, -1}) {
      float x = Float.intBitsToFloat(bits);
      assertThat(Float.floatToRawIntBits(Elementwise.positiveStep(x))).as("step of bits %x", bits)
          .isEqualTo(Float.floatToRawIntBits(x > 0f ? 1f : 0f));
    }
  }

  @Test
  void float32ReluIsTheFloat64MaximumRoundedIncludingNanAndSignedZeros() {
    float[] x = {Float.NaN, -0f, 0f, -1.5f, 2.5f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    float[] relu = backend.unary(Op.RELU, backend.fromFloats(x, Shape.of(x.length))).toFloatArray();
    for (int i = 0; i < x.length; i++) {
      assertThat(Float.floatToRawIntBits(relu[i])).as("relu(%s)", x[i])
          .isEqualTo(Float.floatToRawIntBits((float) Math.max((double) x[i], 0.0)));
    }
  }

  /** The composition autodiff falls back to: {@code g * (y * (1 - y))} or {@code g * (1 - y * y)}. */
  private double[] composed(RawTensor g, RawTensor y, boolean tanh) {
    try (GradMode.Scope ignored = GradMode.disabled()) {
      Tensor gt = Tensor.wrap(backend, g);
      Tensor yt = Tensor.wrap(backend, y);
      Tensor local = tanh ? yt.mul(yt).neg().add(1.0) : yt.mul(yt.neg().add(1.0));
      return gt.mul(local).raw().toDoubleArray();
    }
  }

  @Test
  void fusedKernelsEqualTheCompositionBitForBitInBothFloatingDtypes() {
    Random random = new Random(11);
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      RawTensor x = random(dtype, random, 3);
      RawTensor g = random(dtype, random, 1);
      RawTensor s = backend.unary(Op.SIGMOID, x);
      RawTensor t = backend.unary(Op.TANH, x);

      RawTensor sigmoidGrad = backend.sigmoidGradient(g, s);
      RawTensor tanhGrad = backend.tanhGradient(g, t);

      assertThat(sigmoidGrad.dtype()).isEqualTo(dtype);
      assertThat(sigmoidGrad.toDoubleArray()).as("sigmoid gradient, %s", dtype.label()).containsExactly(composed(g, s, false));
      assertThat(tanhGrad.toDoubleArray()).as("tanh gradient, %s", dtype.label()).containsExactly(composed(g, t, true));
    }
  }

  @Test
  void autodiffThroughSigmoidAndTanhGivesTheComposedGradient() {
    // d/dx sum(sigmoid(x) * c + tanh(x) * c) = c * s(1 - s) + c * (1 - t^2), through the fused kernels.
    Random random = new Random(12);
    RawTensor xr = random(DType.FLOAT32, random, 2);
    RawTensor c = random(DType.FLOAT32, random, 1);
    Tensor x = Tensor.wrap(backend, xr).requiringGrad();
    Tensor ct = Tensor.wrap(backend, c);
    Tensor loss = x.sigmoid().mul(ct).add(x.tanh().mul(ct)).sum();

    float[] grad = Gradients.of(loss, List.of(x)).get(0).raw().toFloatArray();

    double[] expectedSigmoid = composed(c, backend.unary(Op.SIGMOID, xr), false);
    double[] expectedTanh = composed(c, backend.unary(Op.TANH, xr), true);
    for (int i = 0; i < grad.length; i++) {
      assertThat(grad[i]).as("element %s", i).isEqualTo((float) expectedSigmoid[i] + (float) expectedTanh[i]);
    }
  }

  @Test
  void mismatchedShapesAreRejectedWithBothShapes() {
    RawTensor g = backend.fromFloats(new float[6], Shape.of(2, 3));
    RawTensor y = backend.fromFloats(new float[6], Shape.of(3, 2));
    assertThatThrownBy(() -> backend.tanhGradient(g, y)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tanh").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
  }
}
