package dev.seq2seq.models.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.layers.ModelTestSupport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding, beam-search state selection, padding, dropout and the builder of {@link TransformerSeq2Seq}. */
class TransformerSeq2SeqTest extends ModelTestSupport {
  private static final int SRC_VOCAB = 9;
  private static final int TGT_VOCAB = 7;

  private TransformerSeq2Seq model(boolean normFirst, double dropout) {
    return TransformerSeq2Seq.builder().setBackend(backend()).optDType(DType.FLOAT64)
        .setVocabularies(SRC_VOCAB, TGT_VOCAB).setModelSize(8).setHeads(2).optNumLayers(2, 2).optFeedForwardSize(16)
        .optDropout(dropout).optMaxLength(16).optNormFirst(normFirst).setRng(new Rng(17)).build();
  }

  /** Source lengths 5 and 3 (padded with id 0), targets of length 4. */
  private Seq2SeqBatch batch() {
    return new Seq2SeqBatch(
        ints(new int[] {1, 4, 2, 8, 3, 5, 6, 7, 0, 0}, 2, 5),
        t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5),
        ints(new int[] {0, 3, 5, 2, 0, 6, 1, 4}, 2, 4),
        ints(new int[] {3, 5, 2, 1, 6, 1, 4, 1}, 2, 4),
        t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 2, 4));
  }

  @Test
  void parametersHaveNnTransformerNames() {
    TransformerSeq2Seq m = model(false, 0.1);
    assertThat(m.namedParameters()).containsKeys("src_embedding.weight", "tgt_embedding.weight",
        "encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.1.linear2.bias", "encoder.norm.weight",
        "decoder.layers.1.multihead_attn.out_proj.weight", "decoder.layers.0.norm3.bias", "decoder.norm.bias",
        "generator.weight", "generator.bias");
    assertThat(m.namedParameters()).hasSize(2 + 2 * 12 + 2 + 2 * 18 + 2 + 2);
    assertThat(m.namedParameters().get("generator.weight").shape().toArray()).containsExactly(TGT_VOCAB, 8);
    assertThat(m.targetVocabSize()).isEqualTo(TGT_VOCAB);
  }

  @ParameterizedTest(name = "norm_first={0}")
  @ValueSource(booleans = {false, true})
  void stepwiseDecodingEqualsTeacherForcing(boolean normFirst) {
    TransformerSeq2Seq m = model(normFirst, 0.3);
    m.setTraining(false);
    Seq2SeqBatch b = batch();
    Tensor teacher = m.logits(b);  // [2, 4, V]
    assertThat(teacher.shape().toArray()).containsExactly(2, 4, TGT_VOCAB);
    DecoderState state = m.encode(b.source(), b.sourceMask());
    assertThat(state.batchSize()).isEqualTo(2);
    for (int t = 0; t < 4; t++) {
      DecoderStep step = m.step(b.targetInput().sliceAxis(1, t, 1).reshape(2), state);
      assertThat(step.logits().shape().toArray()).containsExactly(2, TGT_VOCAB);
      assertClose(step.logits().toDoubleArray(), teacher.sliceAxis(1, t, 1).reshape(2, TGT_VOCAB).toDoubleArray(),
          Tolerances.FLOAT64, "step " + t + " vs teacher forcing");
      double[] w = step.attention().toDoubleArray();  // [2, 5]
      assertThat(step.attention().shape().toArray()).containsExactly(2, 5);
      assertThat(w[0] + w[1] + w[2] + w[3] + w[4]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(w[5] + w[6] + w[7]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(new double[] {w[8], w[9]}).containsOnly(0.0);
      state = step.state();
    }
  }

  @Test
  void selectReordersAndReplicatesHypotheses() {
    TransformerSeq2Seq m = model(false, 0.1);
    m.setTraining(false);
    Tensor source = ints(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 0}, 3, 3);
    Tensor mask = t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 0, 1, 0, 0}, 3, 3);
    DecoderState s0 = m.encode(source, mask);
    DecoderState s1 = m.step(ints(new int[] {0, 0, 0}, 3), s0).state();
    DecoderState s2 = m.step(ints(new int[] {4, 5, 6}, 3), s1).state();
    int[] rows = {2, 0, 0, 1};
    DecoderState picked = s2.select(ints(rows, 4));
    assertThat(picked.batchSize()).isEqualTo(4);

    int[] next = {3, 1, 2};
    DecoderStep all = m.step(ints(next, 3), s2);
    int[] pickedNext = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      pickedNext[i] = next[rows[i]];
    }
    DecoderStep fromPicked = m.step(ints(pickedNext, 4), picked);
    Tensor rowIndex = ints(rows, 4);
    assertClose(fromPicked.logits().toDoubleArray(), all.logits().gather(rowIndex, 0).toDoubleArray(),
        Tolerances.FLOAT64, "logits after select");
    assertClose(fromPicked.attention().toDoubleArray(), all.attention().gather(rowIndex, 0).toDoubleArray(),
        Tolerances.FLOAT64, "attention after select");
    TransformerDecoderState st = (TransformerDecoderState) fromPicked.state();
    assertThat(st.prefix().toIntArray()).containsExactly(0, 6, 2, 0, 4, 3, 0, 4, 3, 0, 5, 1);

    // before the first step (no prefix yet) too
    DecoderState early = s0.select(ints(new int[] {1, 1}, 2));
    assertClose(m.step(ints(new int[] {0, 0}, 2), early).logits().toDoubleArray(),
        m.step(ints(new int[] {0, 0, 0}, 3), s0).logits().gather(ints(new int[] {1, 1}, 2), 0).toDoubleArray(),
        Tolerances.FLOAT64, "select before the first step");
  }

  @Test
  void paddedSourcePositionsDoNotChangeTheOutputs() {
    TransformerSeq2Seq m = model(false, 0.1);
    m.setTraining(false);
    Seq2SeqBatch b = batch();
    double[] reference = m.logits(b).toDoubleArray();
    // other ids under the padding
    Seq2SeqBatch otherIds = new Seq2SeqBatch(ints(new int[] {1, 4, 2, 8, 3, 5, 6, 7, 8, 2}, 2, 5),
        b.sourceMask(), b.targetInput(), b.targetOutput(), b.targetMask());
    assertClose(m.logits(otherIds).toDoubleArray(), reference, Tolerances.FLOAT64, "other ids under the padding");
    // two more padded columns
    Seq2SeqBatch longer = new Seq2SeqBatch(ints(new int[] {1, 4, 2, 8, 3, 0, 0, 5, 6, 7, 0, 0, 0, 0}, 2, 7),
        t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0}, 2, 7),
        b.targetInput(), b.targetOutput(), b.targetMask());
    assertClose(m.logits(longer).toDoubleArray(), reference, Tolerances.FLOAT64, "longer padding");
    // a sequence alone gives what it gives in the padded batch
    Seq2SeqBatch alone = new Seq2SeqBatch(ints(new int[] {5, 6, 7}, 1, 3), t(DType.FLOAT64, new double[] {1, 1, 1}, 1, 3),
        ints(new int[] {0, 6, 1, 4}, 1, 4), ints(new int[] {6, 1, 4, 1}, 1, 4), t(DType.FLOAT64, new double[] {1, 1, 1, 1}, 1, 4));
    assertClose(m.logits(alone).toDoubleArray(), Arrays.copyOfRange(reference, 4 * TGT_VOCAB, 8 * TGT_VOCAB),
        Tolerances.FLOAT64, "unpadded sequence alone");
  }

  @Test
  void paddedTargetPositionsDoNotChangeRealOnes() {
    TransformerSeq2Seq m = model(true, 0.1);
    m.setTraining(false);
    Seq2SeqBatch b = batch();
    Seq2SeqBatch padded = new Seq2SeqBatch(b.source(), b.sourceMask(), ints(new int[] {0, 3, 5, 2, 0, 6, 3, 3}, 2, 4),
        b.targetOutput(), t(DType.FLOAT64, new double[] {1, 1, 1, 1, 1, 1, 0, 0}, 2, 4));
    double[] full = m.logits(b).toDoubleArray();
    double[] withPadding = m.logits(padded).toDoubleArray();
    int real = 6 * TGT_VOCAB;  // row 0: 4 positions, row 1: the first 2
    assertClose(Arrays.copyOfRange(withPadding, 0, real), Arrays.copyOfRange(full, 0, real), Tolerances.FLOAT64,
        "real target positions");
    for (double v : withPadding) {
      assertThat(v).isFinite();
    }
  }

  @Test
  void dropoutIsSeededAndOffWhenNotTraining() {
    Seq2SeqBatch b = batch();
    TransformerSeq2Seq a = model(false, 0.3);
    TransformerSeq2Seq c = model(false, 0.3);
    double[] trainA = a.logits(b).toDoubleArray();
    assertThat(c.logits(b).toDoubleArray()).containsExactly(trainA);  // same seed, same masks
    a.setTraining(false);
    double[] evalA = a.logits(b).toDoubleArray();
    assertThat(evalA).isNotEqualTo(trainA);
    assertThat(a.logits(b).toDoubleArray()).containsExactly(evalA);
    assertThat(a.namedRandoms()).containsKeys("positional_encoding.dropout.rng", "encoder.layers.0.dropout1.rng",
        "decoder.layers.1.dropout3.rng");
  }

  @Test
  void float32MatchesFloat64() {
    TransformerSeq2Seq m64 = model(false, 0.0);
    TransformerSeq2Seq m32 = TransformerSeq2Seq.builder().setBackend(backend()).optDType(DType.FLOAT32)
        .setVocabularies(SRC_VOCAB, TGT_VOCAB).setModelSize(8).setHeads(2).optNumLayers(2, 2).optFeedForwardSize(16)
        .optDropout(0).optMaxLength(16).setRng(new Rng(17)).build();
    m64.namedParameters().forEach((n, p) -> m32.namedParameters().get(n).set(p.value().cast(DType.FLOAT32)));
    Seq2SeqBatch b = batch();
    Seq2SeqBatch b32 = new Seq2SeqBatch(b.source(), b.sourceMask().cast(DType.FLOAT32), b.targetInput(), b.targetOutput(),
        b.targetMask().cast(DType.FLOAT32));
    assertClose(m32.logits(b32).toDoubleArray(), m64.logits(b).toDoubleArray(), Tolerances.FLOAT32, "float32 vs float64");
  }

  @Test
  void errorsNameTheProblem() {
    assertThatThrownBy(() -> TransformerSeq2Seq.builder().setVocabularies(3, 3).setModelSize(8).setHeads(2).setRng(new Rng(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("setBackend is required");
    assertThatThrownBy(() -> TransformerSeq2Seq.builder().setBackend(backend()).setVocabularies(3, 3).setModelSize(8).setHeads(3)
        .setRng(new Rng(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("d_model 8 must be divisible by the number of heads 3");
    assertThatThrownBy(() -> TransformerSeq2Seq.builder().setBackend(backend()).setVocabularies(3, 3).setHeads(2).setRng(new Rng(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("setModelSize");
    assertThatThrownBy(() -> TransformerSeq2Seq.builder().setBackend(backend()).setVocabularies(3, 3).setModelSize(8).setHeads(2)
        .optFeedForwardSize(-4).setRng(new Rng(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("optFeedForwardSize needs a positive size, got -4");
    TransformerSeq2Seq defaults = TransformerSeq2Seq.builder().setBackend(backend()).setVocabularies(3, 3).setModelSize(8)
        .setHeads(2).optNumLayers(1, 1).setRng(new Rng(1)).build();
    assertThat(defaults.namedParameters().get("encoder.layers.0.linear1.weight").shape().toArray()).containsExactly(32, 8);

    TransformerSeq2Seq m = TransformerSeq2Seq.builder().setBackend(backend()).optDType(DType.FLOAT64).setVocabularies(3, 3)
        .setModelSize(4).setHeads(2).optNumLayers(1, 1).optMaxLength(2).setRng(new Rng(1)).build();
    DecoderState s = m.encode(ints(new int[] {1, 2}, 1, 2), t(DType.FLOAT64, new double[] {1, 1}, 1, 2));
    assertThatThrownBy(() -> m.step(ints(new int[] {0, 0}, 2), s))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be int32 [1]");
    DecoderState s2 = m.step(ints(new int[] {1}, 1), m.step(ints(new int[] {0}, 1), s).state()).state();
    assertThatThrownBy(() -> m.step(ints(new int[] {1}, 1), s2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 3 outside [1, 2]");
  }
}
