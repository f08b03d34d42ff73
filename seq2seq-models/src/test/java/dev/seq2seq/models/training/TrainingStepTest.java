package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingStepTest extends ConformanceSupport {
  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  private RnnSeq2Seq model(long seed, double dropout) {
    return RnnSeq2Seq.builder().setBackend(backend()).setVocabularies(6, 6).setCell(GruCell.factory(backend(), DType.FLOAT32))
        .setEmbeddingSize(8).setHiddenSize(16).optDropout(dropout)
        .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(backend(), DType.FLOAT32, q, k, q, rng))
        .setRng(new Rng(seed)).build();
  }

  /** Copy 4 tokens of ids 2..5; ids 0 = <sos>, 1 = <eos>. */
  private Seq2SeqBatch copyBatch() {
    int b = 8;
    int n = 4;
    int[] src = new int[b * n];
    int[] in = new int[b * (n + 1)];
    int[] out = new int[b * (n + 1)];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        int id = 2 + (i * 5 + j * 3 + i * j) % 4;
        src[i * n + j] = id;
        in[i * (n + 1) + j + 1] = id;
        out[i * (n + 1) + j] = id;
      }
      out[i * (n + 1) + n] = 1;
    }
    return new Seq2SeqBatch(ints(src, b, n), t(DType.FLOAT32, ones(b * n), b, n), ints(in, b, n + 1), ints(out, b, n + 1),
        t(DType.FLOAT32, ones(b * (n + 1)), b, n + 1));
  }

  private static double[] ones(int n) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, 1);
    return d;
  }

  private List<Double> train(long seed, double teacherForcing, double dropout, int steps) {
    RnnSeq2Seq m = model(seed, dropout);
    TrainingStep step = new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.01), 1.0, teacherForcing, new Rng(seed + 1));
    Seq2SeqBatch batch = copyBatch();
    List<Double> losses = new ArrayList<>();
    for (int s = 1; s <= steps; s++) {
      try (TensorScope scope = TensorScope.open()) {
        losses.add(step.run(batch, s).loss());
      }
    }
    return losses;
  }

  @Test
  void adamWithClippingLearnsACopyTask() {
    List<Double> losses = train(3, 1.0, 0.0, 80);
    assertThat(losses.get(79)).as("loss after 80 Adam steps vs first %s", losses.get(0)).isLessThan(losses.get(0) * 0.3);
  }

  @Test
  void theSameSeedGivesTheSameRunAlsoWithDropoutAndScheduledSampling() {
    assertThat(train(5, 0.7, 0.2, 12)).containsExactlyElementsOf(train(5, 0.7, 0.2, 12));
    assertThat(train(5, 0.7, 0.2, 12)).isNotEqualTo(train(6, 0.7, 0.2, 12));
  }

  @Test
  void scheduledSamplingFeedsPredictionsInsteadOfGoldTokens() {
    // identical models and data: only what the decoder reads differs
    double gold = train(7, 1.0, 0.0, 1).get(0);
    double ownPredictions = train(7, 0.0, 0.0, 1).get(0);
    assertThat(ownPredictions).isNotEqualTo(gold);
  }

  @Test
  void aNaNLossIsReportedWithTheStepAndTheWeightsStayUnchanged() {
    RnnSeq2Seq m = model(9, 0.0);
    Parameter embedding = m.namedParameters().get("decoder.embedding.weight");
    double[] poisoned = embedding.value().toDoubleArray();
    poisoned[0] = Double.NaN;
    embedding.set(t(DType.FLOAT32, poisoned, embedding.shape().toArray()));
    Map<String, double[]> before = new LinkedHashMap<>();
    m.namedParameters().forEach((k, p) -> before.put(k, p.value().toDoubleArray()));
    TrainingStep step = new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.01), 1.0, 1.0, new Rng(1));
    assertThatThrownBy(() -> step.run(copyBatch(), 42)).isInstanceOf(NonFiniteException.class)
        .hasMessageStartingWith("step 42: the loss is NaN; the update was skipped");
    m.namedParameters().forEach((k, p) -> assertThat(p.value().toDoubleArray()).as(k).containsExactly(before.get(k)));
  }

  @Test
  void aNonFiniteGradientNamesItsParameter() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("encoder.embedding.weight", null);
    params.put("decoder.output.bias", null);
    List<Tensor> grads = List.of(t(DType.FLOAT32, new double[] {1, 2}, 2), t(DType.FLOAT32, new double[] {1, Double.POSITIVE_INFINITY}, 2));
    NonFiniteException e = TrainingStep.firstNonFinite(7, params, grads);
    assertThat(e.culprit()).isEqualTo("decoder.output.bias");
    assertThat(e).hasMessageStartingWith("step 7: the gradient of decoder.output.bias is Infinity");
  }

  @Test
  void badSettingsAreNamed() {
    RnnSeq2Seq m = model(1, 0);
    assertThatThrownBy(() -> new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.1), 1.0, 1.5, new Rng(1))).hasMessageContaining("teacher forcing ratio 1.5 outside [0, 1]");
  }
}
