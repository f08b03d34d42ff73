package dev.seq2seq.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingTest extends ModelTestSupport {
  @Test
  void looksUpRows() {
    Embedding emb = new Embedding(backend(), DType.FLOAT64, 4, 2, new Rng(1));
    assertThat(emb.namedParameters()).containsOnlyKeys("weight");
    emb.weight().set(t(DType.FLOAT64, new double[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2));
    Tensor y = emb.forward(ints(new int[] {3, 0, 2, 3}, 2, 2));
    assertValues(y, DType.FLOAT64, new double[] {30, 31, 0, 1, 20, 21, 30, 31}, 2, 2, 2);
  }

  @Test
  void initialisesFromStandardNormal() {
    Embedding emb = new Embedding(backend(), DType.FLOAT64, 100, 50, new Rng(7));
    double[] w = emb.weight().value().toDoubleArray();
    double mean = 0;
    double sq = 0;
    for (double v : w) {
      mean += v / w.length;
      sq += v * v / w.length;
    }
    assertThat(mean).isBetween(-0.05, 0.05);
    assertThat(sq - mean * mean).isBetween(0.9, 1.1);
  }

  @Test
  void gradientSumsRepeatedIds() {
    Embedding emb = new Embedding(backend(), DType.FLOAT64, 5, 3, new Rng(2));
    Tensor ids = ints(new int[] {1, 4, 1, 0, 1, 2}, 2, 3);
    checkParameterGradients("embedding", emb, () -> emb.forward(ids).tanh());
  }

  @Test
  void outOfRangeIdNamesIdAndVocabularyRangeOnEveryBackend() {
    for (String name : new String[] {"ejml", "tensorflow"}) {
      dev.seq2seq.api.backend.Backend b = dev.seq2seq.api.backend.Backends.get(name);
      Embedding e = new Embedding(b, DType.FLOAT32, 5, 3, new Rng(2));
      assertThatThrownBy(() -> e.forward(dev.seq2seq.api.tensor.Tensors.of(b, new int[] {1, 7}, 2)).toFloatArray())
          .as(name).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("gather: index 7").hasMessageContaining("out of range [0, 5)");
      assertThatThrownBy(() -> e.forward(dev.seq2seq.api.tensor.Tensors.of(b, new int[] {-1}, 1)).toFloatArray())
          .as(name).hasMessageContaining("index -1");
    }
    Embedding emb = new Embedding(backend(), DType.FLOAT32, 5, 3, new Rng(2));
    assertThatThrownBy(() -> emb.forward(t(DType.FLOAT32, new double[] {1}, 1)))
        .hasMessageContaining("int32");
    assertThat(emb.forward(ints(new int[] {4}, 1)).shape()).isEqualTo(Shape.of(1, 3));
  }
}
