package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LuongAttentionTest extends AttentionTestSupport {
  @Test
  void dotAttentionWithOneHotKeysByHand() {
    // keys e_0, e_1, e_2 make the scores the query's entries: softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6
    double l2 = Math.log(2);
    double l3 = Math.log(3);
    for (DType dtype : FLOATS) {
      LuongAttention a = LuongAttention.dot(3);
      Tensor q = t(dtype, new double[] {0, l2, l3}, 1, 1, 3);
      Tensor k = t(dtype, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 1, 3, 3);
      Tensor v = t(dtype, new double[] {1, 0, 0, 1, 1, 1}, 1, 3, 2);
      AttentionResult r = a.attend(q, k, v, null);
      assertValues(r.weights(), dtype, new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0}, 1, 1, 3);
      assertValues(r.context(), dtype, new double[] {4 / 6.0, 5 / 6.0}, 1, 1, 2);
      // masking the last key renormalises over the first two: [1, 2] / 3
      AttentionResult masked = a.attend(q, k, v, t(dtype, new double[] {1, 1, 0}, 3));
      assertValues(masked.weights(), dtype, new double[] {1 / 3.0, 2 / 3.0, 0}, 1, 1, 3);
      assertValues(masked.context(), dtype, new double[] {1 / 3.0, 2 / 3.0}, 1, 1, 2);
    }
  }

  @Test
  void generalWithTheIdentityIsDot() {
    LuongAttention general = LuongAttention.general(backend(), DType.FLOAT64, 4, 4, new Rng(1));
    assertThat(general.namedParameters().keySet()).containsExactly("key_proj.weight");
    general.namedParameters().get("key_proj.weight").set(t(DType.FLOAT64, new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 4));
    Tensor q = input(1, 2, 3, 4);
    Tensor k = input(2, 2, 5, 4);
    Tensor v = input(3, 2, 5, 2);
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {5, 3}, 5);
    AttentionResult expected = LuongAttention.dot(4).attend(q, k, v, mask);
    AttentionResult actual = general.attend(q, k, v, mask);
    assertClose(actual.weights().toDoubleArray(), expected.weights().toDoubleArray(), Tolerances.FLOAT64, "weights");
    assertClose(actual.context().toDoubleArray(), expected.context().toDoubleArray(), Tolerances.FLOAT64, "context");
  }

  @Test
  void parameterNamesAndShapes() {
    assertThat(LuongAttention.dot(4).namedParameters()).isEmpty();
    LuongAttention general = LuongAttention.general(backend(), DType.FLOAT32, 4, 3, new Rng(1));
    assertThat(general.namedParameters().get("key_proj.weight").shape()).isEqualTo(Shape.of(4, 3));
    LuongAttention concat = LuongAttention.concat(backend(), DType.FLOAT32, 4, 3, 6, new Rng(1));
    assertThat(concat.namedParameters().keySet()).containsExactly("concat_proj.weight", "v.weight");
    assertThat(concat.namedParameters().get("concat_proj.weight").shape()).isEqualTo(Shape.of(6, 7));
    assertThat(concat.namedParameters().get("v.weight").shape()).isEqualTo(Shape.of(1, 6));
    assertThat(LuongAttention.create(LuongAttention.Score.CONCAT, backend(), DType.FLOAT32, 4, 3, 6, new Rng(1)).score())
        .isEqualTo(LuongAttention.Score.CONCAT);
  }

  @Test
  void initialisationDrawsFromTheRngInParameterOrder() {
    Rng rng = new Rng(42);
    LuongAttention general = LuongAttention.general(backend(), DType.FLOAT64, 4, 3, rng);
    assertDrawnInOrder(general, 42, rng, "key_proj.weight", 1 / Math.sqrt(3));
    rng = new Rng(43);
    LuongAttention concat = LuongAttention.concat(backend(), DType.FLOAT64, 4, 3, 6, rng);
    assertDrawnInOrder(concat, 43, rng, "concat_proj.weight", 1 / Math.sqrt(7), "v.weight", 1 / Math.sqrt(6));
  }

  @Test
  void gradientsWithAPaddingMask() {
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {3, 1}, 4);
    LuongAttention dot = LuongAttention.dot(3);
    checkAttentionGradients("luong dot", dot, input(1, 2, 2, 3), input(2, 2, 4, 3), input(3, 2, 4, 2), mask);
    LuongAttention general = LuongAttention.general(backend(), DType.FLOAT64, 3, 4, new Rng(5));
    checkAttentionGradients("luong general", general, input(1, 2, 2, 3), input(2, 2, 4, 4), input(3, 2, 4, 2), mask);
    LuongAttention concat = LuongAttention.concat(backend(), DType.FLOAT64, 3, 4, 5, new Rng(6));
    checkAttentionGradients("luong concat", concat, input(1, 2, 2, 3), input(2, 2, 4, 4), input(3, 2, 4, 2), mask);
  }

  @Test
  void weightsAreDistributionsOverUnmaskedKeys() {
    for (LuongAttention.Score score : LuongAttention.Score.values()) {
      for (DType dtype : FLOATS) {
        LuongAttention a = LuongAttention.create(score, backend(), dtype, 4, 4, 3, new Rng(2));
        Tensor mask = Masks.padding(backend(), dtype, new int[] {2, 5}, 5);
        AttentionResult r = a.attend(t(dtype, random(1, -2, 2, 2, 3, 4), 2, 3, 4), t(dtype, random(2, -2, 2, 2, 5, 4), 2, 5, 4),
            t(dtype, random(3, -1, 1, 2, 5, 6), 2, 5, 6), mask);
        assertThat(r.context().shape()).isEqualTo(Shape.of(2, 3, 6));
        assertValidWeights(r.weights(), mask);
      }
    }
  }

  @Test
  void mismatchedSizesAreRejected() {
    assertThatThrownBy(() -> LuongAttention.create(LuongAttention.Score.DOT, backend(), DType.FLOAT64, 4, 3, 0, new Rng(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("querySize == keySize, got 4 and 3");
    assertThatThrownBy(() -> LuongAttention.dot(4).attend(input(1, 2, 1, 4), input(2, 2, 3, 3), input(3, 2, 3, 2), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LuongAttention (DOT): keys must be [2, keys, 4]").hasMessageContaining("got [2, 3, 3]");
  }
}
