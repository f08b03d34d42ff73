package dev.seq2seq.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest extends ModelTestSupport {
  @Test
  void parametersHavePyTorchNamesShapesAndInitRange() {
    Linear linear = new Linear(backend(), DType.FLOAT64, 9, 5, new Rng(1));
    assertThat(linear.namedParameters()).containsOnlyKeys("weight", "bias");
    assertThat(linear.weight().shape()).isEqualTo(Shape.of(5, 9));
    assertThat(linear.bias().shape()).isEqualTo(Shape.of(5));
    for (double v : linear.weight().value().toDoubleArray()) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo(1.0 / 3);
    }
    for (double v : linear.bias().value().toDoubleArray()) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo(1.0 / 3);
    }
    Linear again = new Linear(backend(), DType.FLOAT64, 9, 5, new Rng(1));
    assertThat(again.weight().value().toDoubleArray()).containsExactly(linear.weight().value().toDoubleArray());
  }

  @Test
  void computesXWTransposePlusB() {
    Linear linear = new Linear(backend(), DType.FLOAT64, 2, 3, new Rng(1));
    linear.weight().set(t(DType.FLOAT64, new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
    linear.bias().set(t(DType.FLOAT64, new double[] {0.5, -1, 2}, 3));
    Tensor y = linear.forward(t(DType.FLOAT64, new double[] {1, -1, 2, 0.5}, 2, 2));
    assertValues(y, DType.FLOAT64, new double[] {-0.5, -2, 1, 3.5, 7, 15}, 2, 3);
  }

  @Test
  void keepsLeadingAxes() {
    Linear linear = new Linear(backend(), DType.FLOAT64, 4, 3, new Rng(2));
    Tensor x = randn(3, 2, 5, 4);
    Tensor y = linear.forward(x);
    assertThat(y.shape()).isEqualTo(Shape.of(2, 5, 3));
    Tensor flat = linear.forward(x.reshape(10, 4));
    assertClose(y.toDoubleArray(), flat.toDoubleArray(), Tolerances.FLOAT64, "leading axes");
    assertThat(linear.forward(randn(4, 4)).shape()).isEqualTo(Shape.of(3));
  }

  @Test
  void withoutBias() {
    Linear linear = new Linear(backend(), DType.FLOAT32, 4, 3, false, new Rng(2));
    assertThat(linear.namedParameters()).containsOnlyKeys("weight");
    assertThat(linear.forward(randn(5, 2, 4).cast(DType.FLOAT32)).shape()).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void gradients() {
    Linear linear = new Linear(backend(), DType.FLOAT64, 4, 3, new Rng(3));
    Tensor x = randn(4, 2, 3, 4);
    checkGradients("linear d/dx", in -> linear.forward(in.get(0)), x);
    checkParameterGradients("linear", linear, () -> linear.forward(x));
  }

  @Test
  void rejectsWrongFeatureCount() {
    Linear linear = new Linear(backend(), DType.FLOAT64, 4, 3, new Rng(3));
    assertThatThrownBy(() -> linear.forward(randn(1, 2, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 5]").hasMessageContaining("4 features");
  }

  @Test
  void startsFromGivenValuesAndChecksTheirShapes() {
    Linear l = new Linear(t(DType.FLOAT64, new double[] {1, 2, 3, 4, 5, 6}, 2, 3), t(DType.FLOAT64, new double[] {10, 20}, 2));
    // [1, 1, 1] W^T + b = [1+2+3, 4+5+6] + [10, 20]
    assertThat(l.forward(t(DType.FLOAT64, new double[] {1, 1, 1}, 1, 3)).toDoubleArray()).containsExactly(16, 35);
    assertThat(l.namedParameters().keySet()).containsExactly("weight", "bias");
    assertThatThrownBy(() -> new Linear(t(DType.FLOAT64, new double[6], 2, 3), t(DType.FLOAT64, new double[3], 3)))
        .hasMessageContaining("bias [3] must be [2] for weight [2, 3]");
  }
}
