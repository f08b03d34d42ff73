package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole training step (forward, loss, backward, clipping, Adam) compiled into one graph execution
 * on tensorflow gives the same losses and weights as the eager step; a non-finite step is caught and
 * leaves the weights unchanged in compiled mode too.
 */
class CompiledTrainingStepTest {
  private static final Backend TF = Backends.get("tensorflow");

  private static TransformerSeq2Seq model() {
    return TransformerSeq2Seq.builder().setBackend(TF).setVocabularies(8, 8).setModelSize(16).setHeads(2)
        .optNumLayers(1, 1).optFeedForwardSize(32).optDropout(0).setRng(new Rng(1)).build();
  }

  private static List<Seq2SeqBatch> batches() {
    Rng r = new Rng(3);
    List<Seq2SeqBatch> out = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      List<int[]> sources = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int[] s = new int[2 + r.nextInt(4)];
        for (int j = 0; j < s.length; j++) {
          s[j] = 4 + r.nextInt(4);
        }
        sources.add(s);
      }
      out.add(CopyBatches.reversed(TF, sources));
    }
    return out;
  }

  private static TrainingStep step(TransformerSeq2Seq m) {
    return new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(0.1),
        LearningRateSchedule.warmupInverseSqrt(0.01, 5), 1.0, 1.0, new Rng(2));
  }

  @Test
  void compiledAndEagerTrainingStepsAgree() {
    TransformerSeq2Seq eagerModel = model();
    TransformerSeq2Seq compiledModel = model();
    TrainingStep eager = step(eagerModel);
    TrainingStep compiled = step(compiledModel).compile();
    List<Seq2SeqBatch> data = batches();
    for (int s = 1; s <= 12; s++) {
      try (TensorScope scope = TensorScope.open()) {
        Seq2SeqBatch b = data.get(s % data.size()); // shapes differ between batches: one trace per signature
        StepResult e = eager.run(b, s);
        StepResult c = compiled.run(b, s);
        assertThat(Tolerances.FLOAT32_MATMUL.accepts(c.loss(), e.loss()))
            .as("step %d loss: compiled %s vs eager %s (%s)", s, c.loss(), e.loss(), Tolerances.FLOAT32_MATMUL).isTrue();
        assertThat(Tolerances.FLOAT32_MATMUL.accepts(c.gradientNorm(), e.gradientNorm())).as("step %d gradient norm", s).isTrue();
      }
    }
    // Compare what the trained models compute, not raw weights: the attention key bias has a true
    // gradient of 0 (a bias shared by all keys shifts every score of a query equally; softmax ignores
    // it), so Adam turns its rounding noise into +-lr steps and its value is arbitrary in both runs.
    eagerModel.setTraining(false);
    compiledModel.setTraining(false);
    try (TensorScope scope = TensorScope.open()) {
      float[] a = compiledModel.logits(data.get(0)).toFloatArray();
      float[] b = eagerModel.logits(data.get(0)).toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertThat(Tolerances.FLOAT32_MATMUL.accepts(a[i], b[i])).as("logit %d after 12 steps: compiled %s vs eager %s", i, a[i], b[i]).isTrue();
      }
    }
  }

  @Test
  void anRnnEncoderDecoderWithAttentionCompilesToo() {
    // the recurrent layer computes padding with tensor ops (no host reads), so it can be traced
    java.util.function.Supplier<dev.seq2seq.models.seq2seq.RnnSeq2Seq> make = () -> dev.seq2seq.models.seq2seq.RnnSeq2Seq.builder()
        .setBackend(TF).setVocabularies(8, 8).setCell(dev.seq2seq.models.rnn.GruCell.factory(TF, dev.seq2seq.api.tensor.DType.FLOAT32))
        .setEmbeddingSize(8).setHiddenSize(16).optBidirectionalEncoder(true)
        .optAttention(dev.seq2seq.models.seq2seq.AttentionStyle.BAHDANAU,
            (q, k, rng) -> new dev.seq2seq.models.attention.BahdanauAttention(TF, dev.seq2seq.api.tensor.DType.FLOAT32, q, k, q, rng))
        .setRng(new Rng(1)).build();
    dev.seq2seq.models.seq2seq.RnnSeq2Seq eagerModel = make.get();
    dev.seq2seq.models.seq2seq.RnnSeq2Seq compiledModel = make.get();
    TrainingStep eager = new TrainingStep(eagerModel, Adam.adam(eagerModel.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.01), 1.0, 1.0, new Rng(2));
    TrainingStep compiled = new TrainingStep(compiledModel, Adam.adam(compiledModel.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.01), 1.0, 1.0, new Rng(2)).compile();
    List<Seq2SeqBatch> data = batches();
    for (int s = 1; s <= 6; s++) {
      try (TensorScope scope = TensorScope.open()) {
        StepResult e = eager.run(data.get(s % data.size()), s);
        StepResult c = compiled.run(data.get(s % data.size()), s);
        assertThat(Tolerances.FLOAT32_MATMUL.accepts(c.loss(), e.loss()))
            .as("step %d loss: compiled %s vs eager %s", s, c.loss(), e.loss()).isTrue();
      }
    }
  }

  @Test
  void aNonFiniteCompiledStepLeavesTheWeightsUnchanged() {
    TransformerSeq2Seq m = model();
    TrainingStep compiled = step(m).compile();
    List<Seq2SeqBatch> data = batches();
    try (TensorScope scope = TensorScope.open()) {
      compiled.run(data.get(0), 1);
    }
    Parameter w = m.namedParameters().get("generator.bias");
    float[] poisoned = w.value().toFloatArray();
    poisoned[0] = Float.NaN;
    w.set(dev.seq2seq.api.tensor.Tensors.of(TF, poisoned, poisoned.length));
    Map<String, float[]> before = new java.util.LinkedHashMap<>();
    m.namedParameters().forEach((k, p) -> before.put(k, p.value().toFloatArray()));
    assertThatThrownBy(() -> compiled.run(data.get(0), 2)).isInstanceOf(NonFiniteException.class)
        .hasMessageStartingWith("step 2: the loss is NaN");
    m.namedParameters().forEach((k, p) -> assertThat(p.value().toFloatArray()).as(k).containsExactly(before.get(k)));
  }

  @Test
  void scheduledSamplingCannotBeCompiled() {
    TransformerSeq2Seq m = model();
    TrainingStep s = new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(), LearningRateSchedule.constant(0.1),
        1.0, 0.5, new Rng(1));
    assertThatThrownBy(s::compile).hasMessageContaining("needs teacher forcing ratio 1");
  }
}
