package dev.seq2seq.models.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import org.junit.jupiter.api.Test;

/** The ready-made component: both model families from configs, on the switched backend (ejml here). */
class ModelComponentTest {
  @Test
  void buildsBothModelFamiliesFromConfigs() {
    ModelComponent c = ModelComponent.create();
    assertThat(c.rnnSeq2Seq().backend()).isSameAs(Backends.get());
    RnnSeq2Seq rnn = c.rnnSeq2Seq().create(
        new RnnModelConfig("lstm", AttentionStyle.LUONG, "luong_general", 10, 12, 8, 16, 2, true, 0.1, DType.FLOAT32, 1));
    assertThat(rnn.targetVocabSize()).isEqualTo(12);
    assertThat(rnn.namedParameters()).containsKeys("encoder.rnn.weight_ih_l1_reverse", "decoder.attention.key_proj.weight");
    TransformerSeq2Seq transformer = c.transformer().create(
        new TransformerModelConfig(10, 12, 16, 4, 2, 1, 32, 0.1, false, 64, DType.FLOAT32, 2));
    assertThat(transformer.targetVocabSize()).isEqualTo(12);
    assertThat(transformer.namedParameters()).containsKeys("encoder.layers.1.self_attn.in_proj_weight", "decoder.layers.0.multihead_attn.out_proj.weight");
  }

  @Test
  void unknownNamesListTheRegisteredOnes() {
    ModelComponent c = ModelComponent.create();
    assertThatThrownBy(() -> c.rnnSeq2Seq().create(
        new RnnModelConfig("gru", AttentionStyle.BAHDANAU, "dot", 5, 5, 4, 4, 1, false, 0, DType.FLOAT32, 1)))
        .hasMessage("unknown attention 'dot': registered attentions are [bahdanau, luong_concat, luong_dot, luong_general]");
    assertThatThrownBy(() -> new TransformerModelConfig(5, 5, 10, 3, 1, 1, 8, 0, false, 8, DType.FLOAT32, 1))
        .hasMessageContaining("3 heads do not divide d_model 10");
  }
}
