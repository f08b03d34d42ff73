package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BahdanauAttentionTest extends AttentionTestSupport {
  @Test
  void parametersAreNamedAndShapedLikeLinearLayers() {
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT32, 3, 5, 7, new Rng(1));
    Map<String, Parameter> p = a.namedParameters();
    assertThat(p.keySet()).containsExactly("query_proj.weight", "key_proj.weight", "key_proj.bias", "v.weight");
    assertThat(p.get("query_proj.weight").shape()).isEqualTo(Shape.of(7, 3));
    assertThat(p.get("key_proj.weight").shape()).isEqualTo(Shape.of(7, 5));
    assertThat(p.get("key_proj.bias").shape()).isEqualTo(Shape.of(7));
    assertThat(p.get("v.weight").shape()).isEqualTo(Shape.of(1, 7));
    assertThat(a.parameterCount()).isEqualTo(7 * 3 + 7 * 5 + 7 + 7);
    // PyTorch Linear's default bound 1/sqrt(in)
    assertBounded(p.get("key_proj.weight").value().toDoubleArray(), 1 / Math.sqrt(5));
    assertBounded(p.get("v.weight").value().toDoubleArray(), 1 / Math.sqrt(7));
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT64, 3, 5, 7, new Rng(42));
    BahdanauAttention b = new BahdanauAttention(backend(), DType.FLOAT64, 3, 5, 7, new Rng(42));
    a.namedParameters().forEach((name, p) ->
        assertThat(p.value().toDoubleArray()).as(name).containsExactly(b.namedParameters().get(name).value().toDoubleArray()));
  }

  @Test
  void initialisationDrawsFromTheRngInParameterOrder() {
    Rng rng = new Rng(42);
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT64, 3, 5, 7, rng);
    assertDrawnInOrder(a, 42, rng, "query_proj.weight", 1 / Math.sqrt(3), "key_proj.weight", 1 / Math.sqrt(5),
        "key_proj.bias", 1 / Math.sqrt(5), "v.weight", 1 / Math.sqrt(7));
  }

  @Test
  void aZeroScoringVectorAveragesTheUnmaskedValues() {
    // v = 0 makes every score 0: the weights are uniform over the unmasked keys
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT64, 2, 2, 3, new Rng(3));
    a.namedParameters().get("v.weight").set(Tensors.zeros(backend(), DType.FLOAT64, Shape.of(1, 3)));
    Tensor values = t(DType.FLOAT64, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {3, 2}, 3);
    AttentionResult r = a.attend(input(1, 2, 1, 2), input(2, 2, 3, 2), values, mask);
    assertValues(r.weights(), DType.FLOAT64, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 0.5, 0.5, 0}, 2, 1, 3);
    assertValues(r.context(), DType.FLOAT64, new double[] {3, 4, 8, 9}, 2, 1, 2);
  }

  @Test
  void gradientsWithAPaddingMask() {
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT64, 3, 4, 5, new Rng(9));
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {2, 4}, 4);
    checkAttentionGradients("bahdanau", a, input(1, 2, 2, 3), input(2, 2, 4, 4), input(3, 2, 4, 3), mask);
  }

  @Test
  void weightsAreDistributionsOverUnmaskedKeys() {
    for (DType dtype : FLOATS) {
      BahdanauAttention a = new BahdanauAttention(backend(), dtype, 3, 4, 5, new Rng(9));
      Tensor mask = Masks.padding(backend(), dtype, new int[] {1, 3, 0}, 3);
      AttentionResult r = a.attend(t(dtype, random(1, -1, 1, 3, 2, 3), 3, 2, 3), t(dtype, random(2, -1, 1, 3, 3, 4), 3, 3, 4),
          t(dtype, random(3, -1, 1, 3, 3, 2), 3, 3, 2), mask);
      assertThat(r.weights().shape()).isEqualTo(Shape.of(3, 2, 3));
      assertThat(r.context().shape()).isEqualTo(Shape.of(3, 2, 2));
      assertValidWeights(r.weights(), mask);
      // the empty sequence (length 0) gets a zero context, not NaN
      assertThat(r.context().sliceAxis(0, 2, 1).toDoubleArray()).containsOnly(0.0);
    }
  }

  @Test
  void wrongSizesNameTheExpectedShape() {
    BahdanauAttention a = new BahdanauAttention(backend(), DType.FLOAT64, 3, 4, 5, new Rng(9));
    assertThatThrownBy(() -> a.attend(input(1, 2, 1, 4), input(2, 2, 3, 4), input(3, 2, 3, 2), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BahdanauAttention: query must be [batch, queries, 3], got [2, 1, 4]");
    assertThatThrownBy(() -> a.attend(input(1, 2, 1, 3), input(2, 2, 3, 3), input(3, 2, 3, 2), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keys must be [2, keys, 4]").hasMessageContaining("got [2, 3, 3]");
    assertThatThrownBy(() -> new BahdanauAttention(backend(), DType.FLOAT64, 0, 4, 5, new Rng(9)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
