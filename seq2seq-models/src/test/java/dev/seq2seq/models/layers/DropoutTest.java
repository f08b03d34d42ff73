package dev.seq2seq.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest extends ModelTestSupport {
  @Test
  void identityWhenNotTrainingOrPZero() {
    Tensor x = randn(1, 4, 5);
    Dropout dropout = new Dropout(0.5, new Rng(1));
    dropout.setTraining(false);
    assertThat(dropout.forward(x)).isSameAs(x);
    assertThat(new Dropout(0, new Rng(1)).forward(x)).isSameAs(x);
  }

  @Test
  void keepsWithProbabilityOneMinusPAndRescales() {
    double[] x = random(2, 1, 2, 100, 100);
    Dropout dropout = new Dropout(0.25, new Rng(3));
    double[] y = dropout.forward(t(DType.FLOAT64, x, 100, 100)).toDoubleArray();
    int kept = 0;
    for (int i = 0; i < x.length; i++) {
      if (y[i] != 0) {
        kept++;
        assertThat(y[i]).isCloseTo(x[i] / 0.75, org.assertj.core.data.Offset.offset(1e-12));
      }
    }
    assertThat(kept / (double) x.length).isBetween(0.73, 0.77);
  }

  @Test
  void sameSeedSameMasks() {
    Tensor x = randn(1, 3, 7);
    double[] a = new Dropout(0.5, new Rng(9)).forward(x).toDoubleArray();
    double[] b = new Dropout(0.5, new Rng(9)).forward(x).toDoubleArray();
    assertThat(a).containsExactly(b);
    assertThat(new Dropout(1, new Rng(9)).forward(x).toDoubleArray()).containsOnly(0.0);
  }

  @Test
  void rejectsBadProbability() {
    assertThatThrownBy(() -> new Dropout(1.5, new Rng(1))).hasMessageContaining("1.5");
  }
}
