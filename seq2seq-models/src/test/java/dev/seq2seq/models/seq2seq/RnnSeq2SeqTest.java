package dev.seq2seq.models.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.PreparedKeys;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.attention.LuongAttention;
import dev.seq2seq.models.layers.ModelTestSupport;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.rnn.CellFactory;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.rnn.LstmCell;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RnnSeq2SeqTest extends ModelTestSupport {
  private static final DType F64 = DType.FLOAT64;

  private RnnSeq2Seq model(CellFactory cell, AttentionStyle style, AttentionFactory attention, int layers, boolean bidirectional) {
    return RnnSeq2Seq.builder().setBackend(backend()).optDType(F64).setVocabularies(6, 5).setCell(cell)
        .setHiddenSize(3).setEmbeddingSize(3).optNumLayers(layers).optBidirectionalEncoder(bidirectional)
        .optAttention(style, attention).setRng(new Rng(17)).build();
  }

  private static AttentionFactory bahdanau(Backend backend) {
    return (q, k, rng) -> new BahdanauAttention(backend, F64, q, k, q, rng);
  }

  private static AttentionFactory luongGeneral(Backend backend) {
    return (q, k, rng) -> LuongAttention.general(backend, F64, q, k, rng);
  }

  /** Two pairs; the second source is padded after 2 tokens, the second target after 2. */
  private Seq2SeqBatch batch() {
    return new Seq2SeqBatch(
        ints(new int[] {1, 4, 2, 5, 3, 0}, 2, 3), t(F64, new double[] {1, 1, 1, 1, 1, 0}, 2, 3),
        ints(new int[] {0, 2, 4, 0, 3, 1}, 2, 3), ints(new int[] {2, 4, 1, 3, 1, 0}, 2, 3),
        t(F64, new double[] {1, 1, 1, 1, 1, 0}, 2, 3));
  }

  private Tensor loss(RnnSeq2Seq m, Seq2SeqBatch b) {
    return new CrossEntropyLoss().apply(m.logits(b), b.targetOutput(), b.targetMask());
  }

  @Test
  void gradientsWithoutAttentionMatchFiniteDifferences() {
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.NONE, null, 2, true);
    Seq2SeqBatch b = batch();
    checkParameterGradients("GRU 2-layer bidirectional encoder, no attention", m, () -> loss(m, b));
  }

  @Test
  void gradientsWithBahdanauAttentionMatchFiniteDifferences() {
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, bahdanau(backend()), 1, true);
    Seq2SeqBatch b = batch();
    checkParameterGradients("GRU + Bahdanau", m, () -> loss(m, b));
  }

  @Test
  void gradientsWithLuongAttentionAndInputFeedingMatchFiniteDifferences() {
    RnnSeq2Seq m = model(LstmCell.factory(backend(), F64), AttentionStyle.LUONG, luongGeneral(backend()), 2, false);
    Seq2SeqBatch b = batch();
    checkParameterGradients("LSTM 2-layer + Luong general", m, () -> loss(m, b));
  }

  @Test
  void parametersHaveStableNames() {
    RnnSeq2Seq m = model(LstmCell.factory(backend(), F64), AttentionStyle.LUONG, luongGeneral(backend()), 2, true);
    assertThat(m.namedParameters().keySet()).contains(
        "encoder.embedding.weight", "encoder.rnn.weight_ih_l0", "encoder.rnn.weight_hh_l1_reverse",
        "bridge.0.weight", "bridge.1.weight", "decoder.embedding.weight", "decoder.cells.0.weight_ih",
        "decoder.cells.1.bias_hh", "decoder.attention.key_proj.weight", "decoder.combine.weight",
        "decoder.output.weight", "decoder.output.bias");
    assertThat(m.namedParameters().get("decoder.cells.0.weight_ih").shape().toArray())
        .as("LSTM layer 0 reads [embedding; h~] = 3 + 3").containsExactly(12, 6);
  }

  @Test
  void paddingDoesNotChangeTheLogitsOfAShorterSource() {
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, bahdanau(backend()), 1, true);
    Seq2SeqBatch padded = batch();
    Seq2SeqBatch alone = new Seq2SeqBatch(ints(new int[] {5, 3}, 1, 2), t(F64, new double[] {1, 1}, 1, 2),
        ints(new int[] {0, 3, 1}, 1, 3), ints(new int[] {3, 1, 0}, 1, 3), t(F64, new double[] {1, 1, 0}, 1, 3));
    double[] all = m.logits(padded).toDoubleArray();
    double[] second = java.util.Arrays.copyOfRange(all, 15, 30);
    assertClose(m.logits(alone).toDoubleArray(), second, Tolerances.FLOAT64, "second pair padded vs alone");
  }

  @Test
  void selectReordersAndReplicatesHypotheses() {
    // the prepared keys (Bahdanau's U h + b, Luong's W h) are selected with the memory
    assertSelectReordersAndReplicates(model(LstmCell.factory(backend(), F64), AttentionStyle.LUONG, luongGeneral(backend()), 1, false));
    assertSelectReordersAndReplicates(model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, bahdanau(backend()), 1, true));
  }

  private void assertSelectReordersAndReplicates(RnnSeq2Seq m) {
    Seq2SeqBatch b = batch();
    DecoderState state = m.encode(b.source(), b.sourceMask());
    DecoderStep first = m.step(ints(new int[] {0, 0}, 2), state);
    Tensor rows = ints(new int[] {1, 0, 1}, 3);
    DecoderStep selected = m.step(ints(new int[] {2, 4, 2}, 3), first.state().select(rows));
    DecoderStep unselected = m.step(ints(new int[] {4, 2}, 2), first.state());
    double[] u = unselected.logits().toDoubleArray(); // rows: [hyp0 after 4, hyp1 after 2]
    double[] s = selected.logits().toDoubleArray(); // rows: [hyp1 after 2, hyp0 after 4, hyp1 after 2]
    String style = m.attentionStyle().toString();
    assertClose(java.util.Arrays.copyOfRange(s, 0, 5), java.util.Arrays.copyOfRange(u, 5, 10), Tolerances.FLOAT64, style + ": row 0 = old row 1");
    assertClose(java.util.Arrays.copyOfRange(s, 5, 10), java.util.Arrays.copyOfRange(u, 0, 5), Tolerances.FLOAT64, style + ": row 1 = old row 0");
    assertClose(java.util.Arrays.copyOfRange(s, 10, 15), java.util.Arrays.copyOfRange(u, 5, 10), Tolerances.FLOAT64, style + ": row 2 = old row 1");
    assertThat(selected.attention().shape().toArray()).containsExactly(3, 3);
  }

  @Test
  void theAttentionPreparesTheMemoryOncePerEncodeAndAttendsWithItEveryStep() {
    List<CountingAttention> made = new ArrayList<>();
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, (q, k, rng) -> {
      CountingAttention a = new CountingAttention(new BahdanauAttention(backend(), F64, q, k, q, rng));
      made.add(a);
      return a;
    }, 1, true);
    m.logits(batch());
    CountingAttention a = made.get(0);
    assertThat(a.prepared).as("prepareKeys calls for one batch").isEqualTo(1);
    assertThat(a.attendedPrepared).as("attendPrepared calls: one per target step").isEqualTo(3);
    assertThat(a.attendedRaw).as("attend calls with raw keys").isZero();
  }

  @Test
  void anAttentionThatDoesNotPrepareKeysWorksUnchanged() {
    // a user's attention implementing attend only gets the raw memory as keys, with the numbers and
    // gradients of the built-in Bahdanau attention it delegates to (which prepares its keys)
    List<RawOnlyAttention> made = new ArrayList<>();
    RnnSeq2Seq custom = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, (q, k, rng) -> {
      RawOnlyAttention a = new RawOnlyAttention(new BahdanauAttention(backend(), F64, q, k, q, rng), k);
      made.add(a);
      return a;
    }, 1, true);
    RnnSeq2Seq builtIn = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, bahdanau(backend()), 1, true);
    Seq2SeqBatch b = batch();
    Tensor customLoss = loss(custom, b);
    Tensor builtInLoss = loss(builtIn, b);
    assertThat(made.get(0).calls).as("attend calls of the custom attention").isEqualTo(3);
    assertClose(new double[] {customLoss.item()}, new double[] {builtInLoss.item()}, Tolerances.FLOAT64, "loss, custom vs built-in");
    List<Tensor> customParams = new ArrayList<>();
    custom.parameters().forEach(p -> customParams.add(p.value()));
    List<Tensor> builtInParams = new ArrayList<>();
    builtIn.parameters().forEach(p -> builtInParams.add(p.value()));
    assertThat(customParams).hasSameSizeAs(builtInParams);
    List<Tensor> customGrads = Gradients.of(customLoss, customParams);
    List<Tensor> builtInGrads = Gradients.of(builtInLoss, builtInParams);
    List<String> names = new ArrayList<>(builtIn.namedParameters().keySet());
    for (int i = 0; i < customGrads.size(); i++) {
      assertClose(customGrads.get(i).toDoubleArray(), builtInGrads.get(i).toDoubleArray(), Tolerances.FLOAT64,
          "gradient of " + names.get(i) + ", custom vs built-in attention");
    }
  }

  /** Delegates all three methods and counts the calls. */
  private static final class CountingAttention extends Module implements Attention {
    private final Attention inner;
    int prepared;
    int attendedPrepared;
    int attendedRaw;

    CountingAttention(BahdanauAttention inner) {
      this.inner = registerModule("inner", inner);
    }

    @Override
    public AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask) {
      attendedRaw++;
      return inner.attend(query, keys, values, mask);
    }

    @Override
    public PreparedKeys prepareKeys(Tensor keys) {
      prepared++;
      return inner.prepareKeys(keys);
    }

    @Override
    public AttentionResult attendPrepared(Tensor query, PreparedKeys keys, Tensor values, Tensor mask) {
      attendedPrepared++;
      return inner.attendPrepared(query, keys, values, mask);
    }
  }

  /** Overrides {@code attend} only, as an attention written before prepared keys existed, and checks it gets raw keys. */
  private static final class RawOnlyAttention extends Module implements Attention {
    private final Attention inner;
    private final int keySize;
    int calls;

    RawOnlyAttention(BahdanauAttention inner, int keySize) {
      this.inner = registerModule("inner", inner);
      this.keySize = keySize;
    }

    @Override
    public AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask) {
      calls++;
      assertThat(keys.shape().toArray()).as("raw memory as keys").containsExactly(2, 3, keySize);
      assertThat(keys).as("keys are the memory, which are the values").isSameAs(values);
      return inner.attend(query, keys, values, mask);
    }
  }

  @Test
  void attentionWeightsOfAStepSumToOneAndSkipPadding() {
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, bahdanau(backend()), 1, false);
    Seq2SeqBatch b = batch();
    DecoderStep step = m.step(ints(new int[] {0, 0}, 2), m.encode(b.source(), b.sourceMask()));
    double[] w = step.attention().toDoubleArray();
    assertThat(w[0] + w[1] + w[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(w[5]).as("padded source position of the second pair").isEqualTo(0.0);
  }

  @Test
  void misconfigurationAndBadInputAreNamed() {
    assertThatThrownBy(() -> RnnSeq2Seq.builder().setBackend(backend()).setVocabularies(5, 5).setHiddenSize(3)
        .setEmbeddingSize(3).setRng(new Rng(1)).build()).hasMessageContaining("setCell is required");
    assertThatThrownBy(() -> RnnSeq2Seq.builder().setBackend(backend()).setVocabularies(5, 5).setCell(GruCell.factory(backend(), F64))
        .setHiddenSize(3).setEmbeddingSize(3).setRng(new Rng(1)).optAttention(AttentionStyle.LUONG, null).build())
        .hasMessageContaining("attention style LUONG needs an attention factory");
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.NONE, null, 1, false);
    assertThatThrownBy(() -> m.encode(ints(new int[] {1, 2}, 2, 1), t(F64, new double[] {1, 1, 1}, 3)))
        .hasMessageContaining("must both be [batch, sourceLength]");
  }

  @Test
  void anEmptySourceRowKeepsItsInitialStateAndStaysFinite() {
    // Empty sources are rejected by the data pipeline (EncodedPair); the model itself reads no values
    // (so it can be compiled) and treats a row without real tokens as an encoder that never stepped.
    RnnSeq2Seq m = model(GruCell.factory(backend(), F64), AttentionStyle.BAHDANAU, bahdanau(backend()), 1, true);
    Tensor logits = m.logits(new Seq2SeqBatch(ints(new int[] {1, 2, 3, 4}, 2, 2), t(F64, new double[] {1, 1, 0, 0}, 2, 2),
        ints(new int[] {0, 1, 0, 1}, 2, 2), ints(new int[] {1, 2, 1, 2}, 2, 2), t(F64, new double[] {1, 1, 1, 1}, 2, 2)));
    for (double v : logits.toDoubleArray()) {
      assertThat(Double.isFinite(v)).isTrue();
    }
  }
}
