package dev.seq2seq.models.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CrossEntropyLossTest extends ConformanceSupport {
  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  @Test
  void meanNegativeLogLikelihoodOverUnmaskedTokensOnly() {
    // two rows over 3 classes; logits chosen so that softmax = [1/6, 2/6, 3/6]
    double l2 = Math.log(2);
    double l3 = Math.log(3);
    Tensor logits = t(DType.FLOAT64, new double[] {0, l2, l3, 0, l2, l3, 5, 5, 5}, 1, 3, 3);
    Tensor targets = ints(new int[] {2, 0, 1}, 1, 3);
    Tensor mask = t(DType.FLOAT64, new double[] {1, 1, 0}, 1, 3);
    double expected = (-Math.log(3 / 6.0) - Math.log(1 / 6.0)) / 2;
    assertThat(new CrossEntropyLoss().apply(logits, targets, mask).item())
        .as("float64, tolerance %s", Tolerances.FLOAT64).isCloseTo(expected, Offset.offset(1e-12));
  }

  @Test
  void labelSmoothingMixesInTheUniformDistribution() {
    double l2 = Math.log(2);
    double l3 = Math.log(3);
    Tensor logits = t(DType.FLOAT64, new double[] {0, l2, l3}, 1, 3);
    Tensor targets = ints(new int[] {1}, 1);
    Tensor mask = t(DType.FLOAT64, new double[] {1}, 1);
    double nll = -Math.log(2 / 6.0);
    double uniform = -(Math.log(1 / 6.0) + Math.log(2 / 6.0) + Math.log(3 / 6.0)) / 3;
    double expected = 0.9 * nll + 0.1 * uniform;
    assertThat(new CrossEntropyLoss(0.1).apply(logits, targets, mask).item()).isCloseTo(expected, Offset.offset(1e-12));
  }

  @Test
  void allMaskedGivesZeroNotNaN() {
    Tensor logits = t(DType.FLOAT32, new double[] {1, 2, 3, 4}, 2, 2);
    assertThat(new CrossEntropyLoss().apply(logits, ints(new int[] {0, 1}, 2), t(DType.FLOAT32, new double[] {0, 0}, 2)).item())
        .isEqualTo(0.0);
  }

  @Test
  void gradientMatchesFiniteDifferencesWithPaddingAndSmoothing() {
    Tensor targets = ints(new int[] {3, 0, 2, 1, 4, 4}, 2, 3);
    Tensor mask = t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 0}, 2, 3);
    checkGradients("smoothed masked cross-entropy",
        in -> new CrossEntropyLoss(0.2).apply(in.get(0), targets, mask), t(DType.FLOAT64, random(3, -2, 2, 2, 3, 5), 2, 3, 5));
  }

  @Test
  void badShapesAreNamed() {
    Tensor logits = t(DType.FLOAT32, new double[12], 2, 2, 3);
    assertThatThrownBy(() -> new CrossEntropyLoss().apply(logits, ints(new int[3], 3), t(DType.FLOAT32, new double[3], 3)))
        .hasMessageContaining("logits [2, 2, 3] must be targets [3] plus a vocabulary axis");
    assertThatThrownBy(() -> new CrossEntropyLoss(1.0)).hasMessageContaining("label smoothing 1.0 outside [0, 1)");
  }
}
