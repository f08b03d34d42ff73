package dev.seq2seq.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayerNormTest extends ModelTestSupport {
  @Test
  void normalisesLastAxisWithBiasedVariance() {
    LayerNorm norm = new LayerNorm(backend(), DType.FLOAT64, 4);
    assertThat(norm.namedParameters()).containsOnlyKeys("weight", "bias");
    Tensor y = norm.forward(t(DType.FLOAT64, new double[] {1, 2, 3, 4, -2, -2, 2, 2}, 2, 4));
    double s1 = Math.sqrt(1.25 + 1e-5);
    double s2 = Math.sqrt(4 + 1e-5);
    assertValues(y, DType.FLOAT64,
        new double[] {-1.5 / s1, -0.5 / s1, 0.5 / s1, 1.5 / s1, -2 / s2, -2 / s2, 2 / s2, 2 / s2}, 2, 4);
  }

  @Test
  void appliesScaleAndShift() {
    LayerNorm norm = new LayerNorm(backend(), DType.FLOAT64, 2, 0);
    norm.weight().set(t(DType.FLOAT64, new double[] {2, 3}, 2));
    norm.bias().set(t(DType.FLOAT64, new double[] {1, -1}, 2));
    assertValues(norm.forward(t(DType.FLOAT64, new double[] {5, 7}, 1, 1, 2)), DType.FLOAT64, new double[] {-1, 2}, 1, 1, 2);
  }

  @Test
  void gradients() {
    LayerNorm norm = new LayerNorm(backend(), DType.FLOAT64, 5);
    randomizeParameters(norm, 11, 1.5);
    Tensor x = randn(12, 2, 3, 5);
    checkGradients("layer norm d/dx", in -> norm.forward(in.get(0)), x);
    checkParameterGradients("layer norm", norm, () -> norm.forward(x));
  }

  @Test
  void rejectsWrongFeatureCount() {
    LayerNorm norm = new LayerNorm(backend(), DType.FLOAT64, 5);
    assertThatThrownBy(() -> norm.forward(randn(1, 2, 4))).hasMessageContaining("[2, 4]").hasMessageContaining("5 features");
  }
}
