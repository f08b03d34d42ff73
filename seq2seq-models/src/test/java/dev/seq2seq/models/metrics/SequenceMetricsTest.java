package dev.seq2seq.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceMetricsTest {
  private final Backend backend = Backends.get("ejml");

  private Tensor ints(int[] v, int... dims) {
    return Tensors.of(backend, v, dims);
  }

  private Tensor mask(double[] v, int... dims) {
    return Tensors.of(backend, DType.FLOAT32, v, Shape.of(dims));
  }

  @Test
  void tokenAccuracyCountsUnmaskedTokensOnly() {
    // row 0: 3 real tokens, 2 correct; row 1: 2 real tokens, 1 correct; padding disagrees but is masked
    Tensor pred = ints(new int[] {5, 6, 9, 1, 7, 8, 4, 4}, 2, 4);
    Tensor gold = ints(new int[] {5, 6, 7, 0, 7, 9, 0, 0}, 2, 4);
    Tensor m = mask(new double[] {1, 1, 1, 0, 1, 1, 0, 0}, 2, 4);
    assertThat(TokenAccuracy.of(pred, gold, m)).isCloseTo(3 / 5.0, within(1e-15));
  }

  @Test
  void tokenAccuracyAccumulatesTokensNotBatchMeans() {
    TokenAccuracy acc = new TokenAccuracy()
        .update(new int[] {1}, new int[] {1}, new double[] {1})            // 1/1
        .update(new int[] {1, 2, 3}, new int[] {0, 0, 3}, new double[] {1, 1, 1}); // 1/3
    assertThat(acc.correct()).isEqualTo(2);
    assertThat(acc.total()).isEqualTo(4);
    assertThat(acc.value()).isEqualTo(0.5);
    assertThatThrownBy(() -> TokenAccuracy.of(new int[] {1}, new int[] {1}, new double[] {0}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no unmasked tokens");
    assertThatThrownBy(() -> TokenAccuracy.of(ints(new int[] {1, 2}, 2), ints(new int[] {1, 2, 3}, 3), mask(new double[] {1, 1}, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2]").hasMessageContaining("[3]");
  }

  @Test
  void exactMatchIgnoresPadding() {
    Tensor pred = ints(new int[] {5, 6, 2, 9, 7, 8, 2, 0, 4, 4, 4, 4}, 3, 4);
    Tensor gold = ints(new int[] {5, 6, 2, 0, 7, 9, 2, 0, 4, 4, 4, 4}, 3, 4);
    Tensor m = mask(new double[] {1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1}, 3, 4);
    assertThat(ExactMatch.of(pred, gold, m)).isCloseTo(2 / 3.0, within(1e-15));
    assertThat(ExactMatch.of(List.of(List.of("a", "b"), List.of("c")), List.of(List.of("a", "b"), List.of("d"))))
        .isEqualTo(0.5);
  }

  @Test
  void perplexityIsExpOfTokenWeightedMeanCrossEntropy() {
    assertThat(Perplexity.fromMeanCrossEntropy(Math.log(7))).isCloseTo(7, within(1e-12));
    assertThat(Perplexity.fromMeanCrossEntropy(0)).isEqualTo(1);
    // uniform over 4 classes: cross-entropy ln 4, perplexity 4
    Perplexity p = new Perplexity().add(Math.log(4), 10).add(Math.log(16), 30);
    // (10 ln 4 + 30 ln 16) / 40 = (20 + 120) ln 2 / 40 = 3.5 ln 2 -> 2^3.5
    assertThat(p.meanCrossEntropy()).isCloseTo(3.5 * Math.log(2), within(1e-15));
    assertThat(p.value()).isCloseTo(Math.pow(2, 3.5), within(1e-12));
    assertThatThrownBy(() -> Perplexity.fromMeanCrossEntropy(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new Perplexity().value()).isInstanceOf(IllegalStateException.class);
  }
}
