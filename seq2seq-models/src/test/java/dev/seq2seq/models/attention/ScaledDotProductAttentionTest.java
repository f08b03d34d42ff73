package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ScaledDotProductAttentionTest extends AttentionTestSupport {
  private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

  @Test
  void hasNoParameters() {
    assertThat(attention.namedParameters()).isEmpty();
  }

  @Test
  void oneHotKeysPickScaledQueryEntries() {
    // d_k = 4, so the scores are q / 2; q = 2 * [0, ln 2, ln 3, 0] gives softmax over the first
    // three keys [1, 2, 3] / 6 once key 3 is masked.
    double l2 = Math.log(2);
    double l3 = Math.log(3);
    for (DType dtype : FLOATS) {
      Tensor q = t(dtype, new double[] {0, 2 * l2, 2 * l3, 0}, 1, 1, 4);
      Tensor k = t(dtype, new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 1, 4, 4);
      Tensor v = t(dtype, new double[] {1, 0, 0, 1, 1, 1, 100, 100}, 1, 4, 2);
      AttentionResult r = attention.attend(q, k, v, Masks.padding(backend(), dtype, new int[] {3}, 4));
      assertValues(r.weights(), dtype, new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0, 0}, 1, 1, 4);
      assertValues(r.context(), dtype, new double[] {4 / 6.0, 5 / 6.0}, 1, 1, 2);
      assertThat(r.weights().toDoubleArray()[3]).isEqualTo(0.0);
    }
  }

  @Test
  void gradientsWithAPaddingMask() {
    Tensor mask = Masks.padding(backend(), DType.FLOAT64, new int[] {4, 2}, 4);
    checkAttentionGradients("scaled dot-product", attention, input(1, 2, 3, 5), input(2, 2, 4, 5), input(3, 2, 4, 3), mask);
  }

  @Test
  void causalMaskHidesTheFuture() {
    int steps = 4;
    Tensor mask = Masks.causal(backend(), DType.FLOAT64, steps);
    Tensor x = input(4, 2, steps, 6);
    AttentionResult r = attention.attend(x, x, x, mask);
    assertValidWeights(r.weights(), mask);
    double[] w = r.weights().toDoubleArray();
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < steps; t++) {
        for (int s = t + 1; s < steps; s++) {
          assertThat(w[(b * steps + t) * steps + s]).as("weight of query %d on future key %d", t, s).isEqualTo(0.0);
        }
      }
    }
    // changing the last step changes nothing before it
    double[] changed = x.toDoubleArray();
    for (int b = 0; b < 2; b++) {
      for (int d = 0; d < 6; d++) {
        changed[(b * steps + steps - 1) * 6 + d] += 3;
      }
    }
    Tensor y = t(DType.FLOAT64, changed, 2, steps, 6);
    Tensor before = r.context().sliceAxis(1, 0, steps - 1);
    Tensor after = attention.attend(y, y, y, mask).context().sliceAxis(1, 0, steps - 1);
    assertThat(after.toDoubleArray()).containsExactly(before.toDoubleArray());
  }

  @Test
  void rowsSumToOneInFloat32() {
    Tensor mask = Masks.padding(backend(), DType.FLOAT32, new int[] {1, 3}, 3);
    Tensor q = t(DType.FLOAT32, random(7, -3, 3, 2, 2, 4), 2, 2, 4);
    Tensor k = t(DType.FLOAT32, random(8, -3, 3, 2, 3, 4), 2, 3, 4);
    AttentionResult r = attention.attend(q, k, k, mask);
    assertThat(r.weights().dtype()).isEqualTo(DType.FLOAT32);
    assertThat(r.context().shape()).isEqualTo(Shape.of(2, 2, 4));
    assertValidWeights(r.weights(), mask);
    assertThat(Tolerances.FLOAT32.accepts(r.weights().sum().item(), 4.0)).isTrue();
  }

  @Test
  void shapeMismatchesNameBothShapes() {
    Tensor q = input(1, 2, 3, 5);
    assertThatThrownBy(() -> attention.attend(q, input(2, 2, 4, 6), input(3, 2, 4, 3), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3, 5]").hasMessageContaining("[2, 4, 6]");
    assertThatThrownBy(() -> attention.attend(q, input(2, 2, 4, 5), input(3, 2, 3, 3), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values must be [2, 4, size]").hasMessageContaining("got [2, 3, 3]");
    assertThatThrownBy(() -> attention.attend(q, input(2, 3, 4, 5), input(3, 3, 4, 3), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be [2, keys, size]");
    assertThatThrownBy(() -> attention.attend(q, input(2, 2, 4, 5), input(3, 2, 4, 3), input(4, 2, 3, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mask [2, 3, 3] does not broadcast to [batch, queries, keys] = [2, 3, 4]");
    assertThatThrownBy(() -> attention.attend(input(1, 2, 5), input(2, 2, 4, 5), input(3, 2, 4, 3), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query must be [batch, queries, size], got [2, 5]");
  }
}
