package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest extends ConformanceSupport {
  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  private RnnSeq2Seq model() {
    return RnnSeq2Seq.builder().setBackend(backend()).setVocabularies(6, 6).setCell(GruCell.factory(backend(), DType.FLOAT32))
        .setEmbeddingSize(8).setHiddenSize(16)
        .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(backend(), DType.FLOAT32, q, k, q, rng))
        .setRng(new Rng(3)).build();
  }

  /** Copy 3 tokens; {@code offset} varies the pairs. */
  private Seq2SeqBatch batch(int offset) {
    int b = 4;
    int n = 3;
    int[] src = new int[b * n];
    int[] in = new int[b * (n + 1)];
    int[] out = new int[b * (n + 1)];
    double[] ones = new double[b * (n + 1)];
    java.util.Arrays.fill(ones, 1);
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        int id = 2 + (offset + i * 3 + j * 5 + i * j) % 4;
        src[i * n + j] = id;
        in[i * (n + 1) + j + 1] = id;
        out[i * (n + 1) + j] = id;
      }
      out[i * (n + 1) + n] = 1;
    }
    return new Seq2SeqBatch(ints(src, b, n), t(DType.FLOAT32, java.util.Arrays.copyOf(ones, b * n), b, n), ints(in, b, n + 1),
        ints(out, b, n + 1), t(DType.FLOAT32, ones, b, n + 1));
  }

  private Trainer.Builder trainer(RnnSeq2Seq m, double lr) {
    TrainingStep step = new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(lr), 1.0, 1.0, new Rng(4));
    return Trainer.builder().setStep(step).setEpochs(e -> List.of(batch(0), batch(1)));
  }

  @Test
  void trainsForTheBudgetValidatesOnScheduleAndReportsTheBest() {
    RnnSeq2Seq m = model();
    List<Long> validatedAt = new ArrayList<>();
    int[] steps = new int[1];
    TrainingSummary s = trainer(m, 0.01).optMaxSteps(30)
        .optValidation(new TeacherForcedValidator(List.of(batch(2))), 10)
        .optListener(new TrainingListener() {
          @Override
          public void onStep(StepResult r, double seconds) {
            steps[0]++;
          }

          @Override
          public void onValidation(long step, Map<String, Double> metrics, boolean best) {
            validatedAt.add(step);
          }
        }).build().fit(m);
    assertThat(s.steps()).isEqualTo(30);
    assertThat(steps[0]).isEqualTo(30);
    assertThat(s.epochs()).as("2 batches per epoch, 30 steps").isEqualTo(15);
    assertThat(validatedAt).containsExactly(10L, 20L, 30L);
    assertThat(s.trainLosses().get(29)).isLessThan(s.trainLosses().get(0));
    assertThat(s.bestMetrics()).containsKeys("loss", "perplexity", "token_accuracy");
    assertThat(s.bestMetrics().get("perplexity")).isCloseTo(Math.exp(s.bestMetrics().get("loss")), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.targetTokens()).isEqualTo(30 * 16);
    assertThat(m.isTraining()).as("validation restores training mode").isTrue();
  }

  @Test
  void decodingMetricsAndTheBestCheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    RnnSeq2Seq m = model();
    dev.seq2seq.models.decoding.GreedyDecoder greedy = new dev.seq2seq.models.decoding.GreedyDecoder(
        dev.seq2seq.models.decoding.DecodingOptions.builder().setSosId(0).setEosId(1).setMaxLength(6).build());
    List<Seq2SeqBatch> valid = List.of(batch(0), batch(1));
    Validator both = DecodingValidator.combine(new TeacherForcedValidator(valid), new DecodingValidator(valid, greedy, 1));
    TrainingStep step = new TrainingStep(m, Adam.adam(m.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.02), 1.0, 1.0, new Rng(4));
    BestCheckpoint best = new BestCheckpoint(dir.resolve("best"), m, step.optimizer(), b -> b);
    TrainingSummary s = Trainer.builder().setStep(step).setEpochs(e -> List.of(batch(0), batch(1))).optMaxSteps(200)
        .optValidation(both, 50).optMonitor("exact_match", false).optListener(best).build().fit(m);
    Map<String, Double> first = s.validations().get(0).getValue();
    assertThat(first).containsKeys("loss", "perplexity", "token_accuracy", "exact_match", "bleu");
    assertThat(s.bestMetrics().get("exact_match")).as("exact match after training on the validation pairs themselves").isEqualTo(1.0);
    // 8 perfect 3-token outputs: p1 = p2 = p3 = 1; no 4-grams, so NLTK's method1 gives p4 = 0.1 / 8
    // (each sentence adds at least 1 to the 4-gram total); BLEU = (0.1 / 8)^(1/4)
    assertThat(s.bestMetrics().get("bleu")).isCloseTo(Math.pow(0.1 / 8, 0.25), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(best.savedStep()).isEqualTo(s.bestStep());
    RnnSeq2Seq reloaded = model();
    dev.seq2seq.models.checkpoint.Checkpoint.load(dir.resolve("best")).loadInto(reloaded);
    reloaded.setTraining(false);
    assertThat(new DecodingValidator(valid, greedy, 1).validate(reloaded).get("exact_match"))
        .as("the saved best model decodes like the best validation said").isEqualTo(s.bestMetrics().get("exact_match"));

    try (dev.seq2seq.api.tensor.GradMode.Scope ignored = dev.seq2seq.api.tensor.GradMode.disabled()) {
      m.namedParameters().values().forEach(p -> p.set(p.value().mul(0.0))); // move the model away from its saved weights
    }
    assertThat(best.restore()).as("the step of the restored weights").isEqualTo(s.bestStep());
    reloaded.namedParameters().forEach((name, p) -> assertThat(m.namedParameters().get(name).value().toFloatArray())
        .as("restored %s", name).containsExactly(p.value().toFloatArray()));
    BestCheckpoint unsaved = new BestCheckpoint(dir.resolve("none"), model(), step.optimizer(), b -> b);
    assertThat(unsaved.restore()).as("nothing saved, nothing restored").isZero();
  }

  @Test
  void earlyStoppingEndsTheRunAfterPatienceValidationsWithoutImprovement() {
    RnnSeq2Seq m = model();
    // a metric that never improves after the first validation
    int[] calls = new int[1];
    Validator worsening = model -> Map.of("loss", (double) ++calls[0]);
    TrainingSummary s = trainer(m, 0.01).optMaxSteps(1000).optValidation(worsening, 5).optEarlyStopping(3).build().fit(m);
    assertThat(s.stoppedEarly()).isTrue();
    assertThat(s.steps()).as("best at step 5, then 3 worse validations").isEqualTo(20);
    assertThat(s.bestStep()).isEqualTo(5);
  }

  @Test
  void aHigherIsBetterMetricCanBeMonitored() {
    RnnSeq2Seq m = model();
    double[] values = {0.1, 0.5, 0.3, 0.2};
    int[] i = new int[1];
    Validator v = model -> Map.of("bleu", values[i[0]++]);
    TrainingSummary s = trainer(m, 0.01).optMaxSteps(8).optValidation(v, 2).optMonitor("bleu", false).build().fit(m);
    assertThat(s.bestStep()).isEqualTo(4);
    assertThat(s.bestMetrics().get("bleu")).isEqualTo(0.5);
  }

  @Test
  void theSameSeedsGiveTheSameRun() {
    RnnSeq2Seq a = model();
    RnnSeq2Seq b = model();
    assertThat(trainer(a, 0.01).optMaxEpochs(3).build().fit(a).trainLosses())
        .containsExactlyElementsOf(trainer(b, 0.01).optMaxEpochs(3).build().fit(b).trainLosses());
  }

  @Test
  void misconfigurationIsNamed() {
    RnnSeq2Seq m = model();
    assertThatThrownBy(() -> trainer(m, 0.01).build()).hasMessageContaining("set optMaxEpochs or optMaxSteps");
    assertThatThrownBy(() -> trainer(m, 0.01).optMaxSteps(5).optEarlyStopping(2).build()).hasMessageContaining("early stopping needs a validator");
    Validator wrong = model -> Map.of("bleu", 1.0);
    assertThatThrownBy(() -> trainer(m, 0.01).optMaxSteps(5).optValidation(wrong, 1).build().fit(m))
        .hasMessageContaining("not the monitored metric 'loss'");
  }
}
