package dev.seq2seq.models.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MasksTest extends AttentionTestSupport {
  @Test
  void paddingMaskIsOneBeforeEachLength() {
    Tensor m = Masks.padding(backend(), DType.FLOAT32, new int[] {3, 1, 0}, 3);
    assertThat(m.shape()).isEqualTo(Shape.of(3, 1, 3));
    assertThat(m.dtype()).isEqualTo(DType.FLOAT32);
    assertThat(m.toDoubleArray()).containsExactly(1, 1, 1, 1, 0, 0, 0, 0, 0);
  }

  @Test
  void causalMaskIsLowerTriangular() {
    Tensor m = Masks.causal(backend(), DType.FLOAT64, 3);
    assertThat(m.shape()).isEqualTo(Shape.of(1, 3, 3));
    assertThat(m.toDoubleArray()).containsExactly(1, 0, 0, 1, 1, 0, 1, 1, 1);
  }

  @Test
  void badLengthsAreRejectedWithTheLimit() {
    assertThatThrownBy(() -> Masks.padding(backend(), DType.FLOAT32, new int[] {2, 5}, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 5 of sequence 1 outside [0, 4]");
    assertThatThrownBy(() -> Masks.causal(backend(), DType.FLOAT32, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maskedKeysGetExactlyZeroAndFullyMaskedRowsGetZerosNotNaN() {
    for (DType dtype : FLOATS) {
      // row 0: keys 0, 1 open; row 1: every key masked
      Tensor scores = t(dtype, new double[] {3, -2, 50, 1, 2, 3}, 1, 2, 3);
      Tensor mask = t(dtype, new double[] {1, 1, 0, 0, 0, 0}, 1, 2, 3);
      Tensor w = Masks.softmax(scores, mask);
      double[] v = w.toDoubleArray();
      double e = Math.exp(5);
      assertClose(v, new double[] {e / (e + 1), 1 / (e + 1), 0, 0, 0, 0}, Tolerances.of(dtype), dtype.label());
      assertThat(v[2]).isEqualTo(0.0);
      assertThat(v).doesNotContain(Double.NaN);
      assertValidWeights(w, mask);
    }
  }

  @Test
  void masksCombineByMultiplication() {
    Tensor both = Masks.padding(backend(), DType.FLOAT64, new int[] {2}, 3).mul(Masks.causal(backend(), DType.FLOAT64, 3));
    assertThat(both.toDoubleArray()).containsExactly(1, 0, 0, 1, 1, 0, 1, 1, 0);
  }

  @Test
  void gradientIsZeroForMaskedScoresAndFiniteForFullyMaskedRows() {
    Tensor mask = t(DType.FLOAT64, new double[] {1, 0, 1, 0, 0, 0}, 1, 2, 3);
    checkGradients("masked softmax", in -> Masks.softmax(in.get(0), mask), t(DType.FLOAT64, random(5, -2, 2, 1, 2, 3), 1, 2, 3));
  }

  @Test
  void aMaskThatDoesNotBroadcastIsRejected() {
    Tensor scores = t(DType.FLOAT64, new double[6], 1, 2, 3);
    assertThatThrownBy(() -> Masks.softmax(scores, t(DType.FLOAT64, new double[4], 1, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 4]").hasMessageContaining("[1, 2, 3]");
  }
}
