package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest extends AttentionTestSupport {
  @Test
  void parametersHavePyTorchNamesShapesAndInitialisation() {
    int e = 8;
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT64, e, 2, new Rng(1));
    Map<String, Parameter> p = a.namedParameters();
    assertThat(p.keySet()).containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
    assertThat(p.get("in_proj_weight").shape()).isEqualTo(Shape.of(3 * e, e));
    assertThat(p.get("in_proj_bias").shape()).isEqualTo(Shape.of(3 * e));
    assertThat(p.get("out_proj.weight").shape()).isEqualTo(Shape.of(e, e));
    assertThat(p.get("out_proj.bias").shape()).isEqualTo(Shape.of(e));
    assertThat(p.get("in_proj_bias").value().toDoubleArray()).containsOnly(0.0);
    assertThat(p.get("out_proj.bias").value().toDoubleArray()).containsOnly(0.0);
    double xavier = Math.sqrt(6.0 / (e + 3 * e));
    assertBounded(p.get("in_proj_weight").value().toDoubleArray(), xavier);
    assertBounded(p.get("out_proj.weight").value().toDoubleArray(), 1 / Math.sqrt(e));
    MultiHeadAttention b = new MultiHeadAttention(backend(), DType.FLOAT64, e, 2, new Rng(1));
    assertThat(b.namedParameters().get("in_proj_weight").value().toDoubleArray())
        .containsExactly(p.get("in_proj_weight").value().toDoubleArray());
  }

  @Test
  void initialisationDrawsTheWeightsFromTheRngInParameterOrderAndZeroesTheBiases() {
    int e = 8;
    Rng rng = new Rng(42);
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT64, e, 2, rng);
    assertDrawnInOrder(a, 42, rng, "in_proj_weight", Math.sqrt(6.0 / (e + 3 * e)), "in_proj_bias", 0,
        "out_proj.weight", 1 / Math.sqrt(e), "out_proj.bias", 0);
  }

  @Test
  void gradientsWithAPaddingMask() {
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT64, 4, 2, new Rng(3));
    // non-zero biases so their gradients are checked away from the initial point
    a.namedParameters().get("in_proj_bias").set(input(10, 12).reshape(12).detach());
    a.namedParameters().get("out_proj.bias").set(input(11, 4).reshape(4).detach());
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {3, 2}, 3);
    checkAttentionGradients("multi-head", a, input(1, 2, 2, 4), input(2, 2, 3, 4), input(3, 2, 3, 4), mask);
  }

  @Test
  void causalSelfAttentionIgnoresLaterPositions() {
    int steps = 5;
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT64, 6, 3, new Rng(4));
    Tensor mask = Masks.causal(backend(), DType.FLOAT64, steps);
    Tensor x = input(5, 2, steps, 6);
    AttentionResult r = a.attend(x, x, x, mask);
    assertThat(r.weights().shape()).isEqualTo(Shape.of(2, steps, steps));
    assertValidWeights(r.weights(), mask);
    double[] changed = x.toDoubleArray();
    for (int b = 0; b < 2; b++) {
      for (int d = 0; d < 6; d++) {
        changed[(b * steps + steps - 1) * 6 + d] -= 2;
      }
    }
    Tensor y = t(DType.FLOAT64, changed, 2, steps, 6);
    assertThat(a.attend(y, y, y, mask).context().sliceAxis(1, 0, steps - 1).toDoubleArray())
        .containsExactly(r.context().sliceAxis(1, 0, steps - 1).toDoubleArray());
  }

  @Test
  void aFullyMaskedQueryOutputsTheOutputBias() {
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT32, 4, 2, new Rng(6));
    Tensor bias = Tensors.of(backend(), new float[] {1, 2, 3, 4}, 4);
    a.namedParameters().get("out_proj.bias").set(bias);
    Tensor mask = Masks.padding(backend(), DType.FLOAT32, new int[] {2, 0}, 3);
    AttentionResult r = a.attend(t(DType.FLOAT32, random(1, -1, 1, 2, 2, 4), 2, 2, 4),
        t(DType.FLOAT32, random(2, -1, 1, 2, 3, 4), 2, 3, 4), t(DType.FLOAT32, random(3, -1, 1, 2, 3, 4), 2, 3, 4), mask);
    assertValidWeights(r.weights(), mask);
    assertClose(r.context().sliceAxis(0, 1, 1).toDoubleArray(), new double[] {1, 2, 3, 4, 1, 2, 3, 4}, Tolerances.FLOAT32, "output of the empty sequence");
  }

  @Test
  void oneHeadWithIdentityProjectionsIsScaledDotProductAttention() {
    int e = 3;
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT64, e, 1, new Rng(7));
    double[] stacked = new double[3 * e * e];
    for (int block = 0; block < 3; block++) {
      for (int i = 0; i < e; i++) {
        stacked[(block * e + i) * e + i] = 1;
      }
    }
    a.namedParameters().get("in_proj_weight").set(t(DType.FLOAT64, stacked, 3 * e, e));
    a.namedParameters().get("out_proj.weight").set(t(DType.FLOAT64, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, e, e));
    Tensor q = input(1, 2, 2, e);
    Tensor k = input(2, 2, 4, e);
    Tensor v = input(3, 2, 4, e);
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {4, 1}, 4);
    AttentionResult expected = new ScaledDotProductAttention().attend(q, k, v, mask);
    AttentionResult actual = a.attend(q, k, v, mask);
    assertClose(actual.weights().toDoubleArray(), expected.weights().toDoubleArray(), Tolerances.FLOAT64, "weights");
    assertClose(actual.context().toDoubleArray(), expected.context().toDoubleArray(), Tolerances.FLOAT64, "context");
  }

  @Test
  void badSizesAreRejected() {
    assertThatThrownBy(() -> new MultiHeadAttention(backend(), DType.FLOAT64, 6, 4, new Rng(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("embedDim 6 must be divisible by numHeads 4");
    MultiHeadAttention a = new MultiHeadAttention(backend(), DType.FLOAT64, 4, 2, new Rng(1));
    assertThatThrownBy(() -> a.attend(input(1, 2, 1, 4), input(2, 2, 3, 4), input(3, 2, 3, 5), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MultiHeadAttention: values must be [2, 3, 4]").hasMessageContaining("got [2, 3, 5]");
  }
}
