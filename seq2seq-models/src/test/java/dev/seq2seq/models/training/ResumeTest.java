package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.conformance.ConformanceSupport;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.attention.LuongAttention;
import dev.seq2seq.models.checkpoint.Checkpoint;
import dev.seq2seq.models.checkpoint.CheckpointWriter;
import dev.seq2seq.models.checkpoint.TrainingState;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.optim.Optimizer;
import dev.seq2seq.models.rnn.LstmCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming from a checkpoint continues exactly as an uninterrupted run: weights, Adam's moments
 * and step, the dropout stream, the scheduled-sampling coins and the data order all come back, so
 * losses and final weights are bit-identical.
 */
class ResumeTest extends ConformanceSupport {
  @TempDir
  Path dir;

  @Override
  protected Backend backend() {
    return Backends.get("ejml");
  }

  /** Everything a run owns. */
  private final class Run {
    final RnnSeq2Seq model;
    final Optimizer optimizer;
    final Rng coins;
    final Rng data;
    final TrainingStep step;
    final List<Seq2SeqBatch> batches = List.of(batch(0), batch(1), batch(2));

    Run(long modelSeed) {
      model = RnnSeq2Seq.builder().setBackend(backend()).setVocabularies(6, 6).setCell(LstmCell.factory(backend(), DType.FLOAT32))
          .setEmbeddingSize(8).setHiddenSize(12).optDropout(0.2)
          .optAttention(AttentionStyle.LUONG, (q, k, rng) -> LuongAttention.general(backend(), DType.FLOAT32, q, k, rng))
          .setRng(new Rng(modelSeed)).build();
      optimizer = Adam.adam(model.namedParameters());
      coins = new Rng(21);
      data = new Rng(22);
      step = new TrainingStep(model, optimizer, new CrossEntropyLoss(0.1), LearningRateSchedule.constant(0.01), 1.0, 0.75, coins);
    }

    List<Double> train(long from, long to) {
      List<Double> losses = new ArrayList<>();
      for (long s = from; s <= to; s++) {
        try (TensorScope scope = TensorScope.open()) {
          losses.add(step.run(batches.get(data.nextInt(batches.size())), s).loss());
        }
      }
      return losses;
    }
  }

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
        int id = 2 + (offset * 7 + i * 3 + j * 5 + i * j) % 4;
        src[i * n + j] = id;
        in[i * (n + 1) + j + 1] = id;
        out[i * (n + 1) + j] = id;
      }
      out[i * (n + 1) + n] = 1;
    }
    return new Seq2SeqBatch(ints(src, b, n), t(DType.FLOAT32, java.util.Arrays.copyOf(ones, b * n), b, n), ints(in, b, n + 1),
        ints(out, b, n + 1), t(DType.FLOAT32, ones, b, n + 1));
  }

  @Test
  void resumingContinuesExactlyAsAnUninterruptedRun() throws Exception {
    Run uninterrupted = new Run(5);
    List<Double> expected = uninterrupted.train(1, 20);

    Run first = new Run(5);
    List<Double> before = first.train(1, 10);
    CheckpointWriter.builder().setModel(first.model).optOptimizerState(first.optimizer.stateValues())
        .optTrainingState(TrainingState.of(10, 0).withRng("coins", first.coins).withRng("data", first.data)
            .withModuleRandoms(first.model))
        .build().save(dir.resolve("ckpt"));

    Run resumed = new Run(999); // different initial weights and streams: everything must come from the checkpoint
    Checkpoint checkpoint = Checkpoint.load(dir.resolve("ckpt"));
    checkpoint.loadInto(resumed.model);
    resumed.optimizer.loadState(checkpoint.optimizerState(backend()));
    TrainingState state = checkpoint.trainingState().orElseThrow();
    resumed.coins.setState(state.rngState("coins"));
    resumed.data.setState(state.rngState("data"));
    state.restoreModuleRandoms(resumed.model);
    List<Double> after = resumed.train(state.step() + 1, 20);

    List<Double> joined = new ArrayList<>(before);
    joined.addAll(after);
    assertThat(joined).as("losses of steps 1-20, interrupted at 10").containsExactlyElementsOf(expected);
    Map<String, dev.seq2seq.api.module.Parameter> a = uninterrupted.model.namedParameters();
    resumed.model.namedParameters().forEach((name, p) ->
        assertThat(p.value().toFloatArray()).as(name).containsExactly(a.get(name).value().toFloatArray()));
  }
}
