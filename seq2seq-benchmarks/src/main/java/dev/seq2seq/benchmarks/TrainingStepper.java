package dev.seq2seq.benchmarks;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.backend.ejml.EjmlBackend;
import dev.seq2seq.examples.bench.BenchConfig;
import dev.seq2seq.examples.bench.BenchSizes;
import dev.seq2seq.examples.bench.SyntheticBatches;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.training.TrainingStep;

/**
 * Training steps of one reference configuration ({@link BenchConfig}: a, b or c at the standard
 * sizes) on random batches: forward, backward and an Adam step without clipping, each in its own
 * {@link TensorScope}. Batches are fresh every step, or, with {@code cycle > 0}, the first
 * {@code cycle} batches over and over (as {@code seq2seq bench} trains, so the model memorises them).
 *
 * <p>Public with a constructor of plain types so that {@link InterleavedTrainingMain} can build one
 * per build of the project, each through its own class loader.
 */
public final class TrainingStepper {
  private final Backend backend;
  private final TrainingStep step;
  private final Rng data = new Rng(5);
  private final Seq2SeqBatch[] cycled;
  private long steps;

  /** Configuration {@code config} on {@code backend}. */
  public TrainingStepper(Backend backend, String config, int cycle) {
    if (cycle < 0) {
      throw new IllegalArgumentException("cycle must be 0 (fresh batches) or a number of batches to repeat, got " + cycle);
    }
    this.backend = backend;
    Seq2Seq model = BenchConfig.named(config).build(backend, BenchSizes.STANDARD, new Rng(17));
    this.step = new TrainingStep(model, Adam.adam(((Module) model).namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(1e-3), Double.POSITIVE_INFINITY, 1.0, new Rng(3));
    this.cycled = new Seq2SeqBatch[cycle];
  }

  /** Configuration {@code config} on a default {@link EjmlBackend}. */
  public TrainingStepper(String config, int cycle) {
    this(new EjmlBackend(), config, cycle);
  }

  /** Target tokens of one step. */
  public static long targetTokensPerStep() {
    return BenchSizes.STANDARD.targetTokensPerBatch();
  }

  /** Runs one training step and returns its wall time in seconds (the batch is made before the clock starts). */
  public double stepSeconds() {
    Seq2SeqBatch batch;
    if (cycled.length == 0) {
      batch = nextBatch();
    } else {
      int i = (int) (steps % cycled.length);
      if (cycled[i] == null) {
        cycled[i] = nextBatch();
      }
      batch = cycled[i];
    }
    steps++;
    long t0 = System.nanoTime();
    try (TensorScope scope = TensorScope.open()) {
      step.run(batch, steps);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private Seq2SeqBatch nextBatch() {
    return SyntheticBatches.training(backend, BenchSizes.STANDARD, BenchSizes.STANDARD.batch(), data);
  }
}
