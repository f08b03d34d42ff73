package dev.seq2seq.models.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.layers.ModelTestSupport;
import org.junit.jupiter.api.Test;

/** The sinusoids of "Attention Is All You Need" section 3.5, checked by hand. */
class PositionalEncodingTest extends ModelTestSupport {
  @Test
  void valuesMatchThePaperByHand() {
    PositionalEncoding pe = new PositionalEncoding(backend(), DType.FLOAT64, 4, 10, 0.0, new Rng(1));
    // d = 4: features 0, 1 use pos / 10000^0 = pos; features 2, 3 use pos / 10000^(2/4) = pos / 100.
    double[] expected = {
        0, 1, 0, 1,                                                                  // pos 0
        0.8414709848078965, 0.5403023058681398, 0.009999833334166664, 0.9999500004166653,   // sin 1, cos 1, sin .01, cos .01
        0.9092974268256817, -0.4161468365471424, 0.01999866669333308, 0.9998000066665778,   // sin 2, cos 2, sin .02, cos .02
    };
    assertValues(pe.encoding(3), DType.FLOAT64, expected, 3, 4);
    assertThat(pe.value(7, 0)).isCloseTo(0.6569865987187891, org.assertj.core.data.Offset.offset(1e-15));  // sin 7
    assertThat(pe.value(7, 3)).isCloseTo(0.9975510002532796, org.assertj.core.data.Offset.offset(1e-15));  // cos .07
  }

  @Test
  void oddFeatureIndicesShareTheFrequencyOfTheirEvenNeighbour() {
    PositionalEncoding pe = new PositionalEncoding(backend(), DType.FLOAT64, 6, 5, 0.0, new Rng(1));
    // features 4 and 5: pos / 10000^(4/6)
    assertThat(pe.value(3, 4)).isCloseTo(0.006463259070189646, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(pe.value(3, 5)).isCloseTo(0.9999791129229608, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void scalesTheEmbeddingsBySqrtDModelThenAdds() {
    PositionalEncoding pe = new PositionalEncoding(backend(), DType.FLOAT64, 4, 10, 0.0, new Rng(1));
    Tensor x = t(DType.FLOAT64, range(0, 1, 2, 4), 1, 2, 4);
    double[] e = pe.encoding(2).toDoubleArray();
    double[] expected = new double[8];
    for (int i = 0; i < 8; i++) {
      expected[i] = 2.0 * i + e[i];  // sqrt(4) = 2
    }
    assertClose(pe.forward(x).toDoubleArray(), expected, Tolerances.FLOAT64, "x * sqrt(d) + PE");
  }

  @Test
  void dropoutOnlyWhileTraining() {
    PositionalEncoding pe = new PositionalEncoding(backend(), DType.FLOAT64, 4, 10, 0.5, new Rng(1));
    Tensor x = t(DType.FLOAT64, range(1, 1, 3, 4), 1, 3, 4);
    pe.setTraining(false);
    double[] clean = pe.forward(x).toDoubleArray();
    pe.setTraining(true);
    double[] dropped = pe.forward(x).toDoubleArray();
    int zeros = 0;
    for (int i = 0; i < clean.length; i++) {
      if (dropped[i] == 0) {
        zeros++;
      } else {
        assertThat(dropped[i]).isCloseTo(2 * clean[i], org.assertj.core.data.Offset.offset(1e-12));
      }
    }
    assertThat(zeros).isBetween(1, clean.length - 1);
    assertThat(pe.namedRandoms()).containsOnlyKeys("dropout.rng");
  }

  @Test
  void tooLongSequencesFailNamingTheMaximum() {
    PositionalEncoding pe = new PositionalEncoding(backend(), DType.FLOAT64, 4, 3, 0.0, new Rng(1));
    assertThatThrownBy(() -> pe.forward(t(DType.FLOAT64, new double[16], 1, 4, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 4 outside [1, 3]");
    assertThatThrownBy(() -> pe.forward(t(DType.FLOAT64, new double[15], 1, 3, 5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, length, 4]");
  }
}
