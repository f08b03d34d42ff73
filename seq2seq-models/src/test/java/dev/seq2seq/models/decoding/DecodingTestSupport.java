package dev.seq2seq.models.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.layers.ModelTestSupport;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.List;

/** Real models, padded source batches and result comparisons for the decoding tests (ejml). */
abstract class DecodingTestSupport extends ModelTestSupport {
  static final int SOS = 0;
  static final int EOS = 1;
  static final int TARGET_VOCAB = 12;

  /** A GRU encoder-decoder with Bahdanau attention and seeded weights, in evaluation mode. */
  RnnSeq2Seq rnnModel(DType dtype, long seed) {
    Backend backend = backend();
    RnnSeq2Seq model = RnnSeq2Seq.builder().setBackend(backend).optDType(dtype).setVocabularies(10, TARGET_VOCAB)
        .setCell(GruCell.factory(backend, dtype)).setHiddenSize(8).setEmbeddingSize(6).optBidirectionalEncoder(true)
        .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(backend, dtype, q, k, q, rng))
        .setRng(new Rng(seed)).build();
    randomizeParameters(model, seed, 1.0);
    model.setTraining(false);
    return model;
  }

  /** Sources (ids in [2, 10)) right-padded with 0, and their mask in {@code dtype}. */
  Tensor[] batch(DType dtype, int[]... sources) {
    int width = 0;
    for (int[] s : sources) {
      width = Math.max(width, s.length);
    }
    int[] ids = new int[sources.length * width];
    double[] mask = new double[ids.length];
    for (int b = 0; b < sources.length; b++) {
      for (int j = 0; j < sources[b].length; j++) {
        ids[b * width + j] = sources[b][j];
        mask[b * width + j] = 1;
      }
    }
    return new Tensor[] {Tensors.of(backend(), ids, sources.length, width),
        Tensors.of(backend(), dtype, mask, Shape.of(sources.length, width))};
  }

  /** {@code n} seeded sources of lengths 2 to 6. */
  static int[][] randomSources(long seed, int n) {
    Rng rng = new Rng(seed);
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = new int[2 + rng.nextInt(5)];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = 2 + rng.nextInt(8);
      }
    }
    return out;
  }

  /** Same tokens and flags; scores within {@code tol}, attention within float32's tolerance. */
  static void assertSameHypotheses(List<Hypothesis> actual, List<Hypothesis> expected, Tolerance tol, String what) {
    assertThat(actual).as("%s: number of hypotheses", what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Hypothesis a = actual.get(i);
      Hypothesis e = expected.get(i);
      String w = what + ", hypothesis " + i;
      assertThat(a.tokens()).as("%s: tokens", w).containsExactly(e.tokens());
      assertThat(a.finished()).as("%s: finished", w).isEqualTo(e.finished());
      assertClose(new double[] {a.logProb(), a.score()}, new double[] {e.logProb(), e.score()}, tol, w + ": logProb, score");
      assertThat(a.attention() == null).as("%s: attention presence", w).isEqualTo(e.attention() == null);
      if (e.attention() != null) {
        assertThat(a.attention().length).as("%s: attention rows", w).isEqualTo(e.attention().length);
        for (int r = 0; r < e.attention().length; r++) {
          // Attention is kept as float32 whatever the model's dtype.
          assertClose(toDoubles(a.attention()[r]), toDoubles(e.attention()[r]), Tolerances.FLOAT32, w + ": attention row " + r);
        }
      }
    }
  }

  static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  static DecodingOptions.Builder options(int maxLength) {
    return DecodingOptions.builder().setSosId(SOS).setEosId(EOS).setMaxLength(maxLength);
  }
}
