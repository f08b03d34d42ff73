package dev.seq2seq.examples.bench;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.compile.Compiler;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.training.StepResult;
import dev.seq2seq.models.training.TrainingStep;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures one (backend, configuration) in the current JVM: training throughput, then greedy
 * decoding throughput per batch size.
 *
 * <p>Training: {@link TrainingStep} with Adam (learning rate 10^-3, PyTorch's betas and eps), no
 * gradient clipping, teacher forcing, compiled ({@link TrainingStep#compile()}) on backends that
 * implement {@link Compiler}. Each step is timed from {@code run} until its {@link TensorScope} has
 * released the step's tensors; the rate of a step is its target tokens over its time. Batches come
 * from a pool of {@value #POOL} synthetic batches made before timing starts.
 *
 * <p>Decoding: {@link GreedyDecoder} with maximum length = the sizes' length, on the trained model in
 * evaluation mode. So that every run decodes exactly that many steps on the whole batch (as the
 * PyTorch reference did), {@code <eos>} can never win: training targets never contain it, and the
 * output layer's bias for {@code <eos>} is then set to {@value #EOS_BIAS} (one entry of one vector;
 * the work per step is unchanged). Every result is checked to be unfinished and of full length; a
 * run that stops early fails. A run is one {@code decode} call (encoding included); its rate is the
 * batch size over its time.
 */
public final class BenchRunner {
  /** Synthetic training batches cycled through. */
  static final int POOL = 4;
  /** The bias given to {@code <eos>} before decoding. */
  static final float EOS_BIAS = -1e4f;
  /** Adam's learning rate. */
  static final double LEARNING_RATE = 1e-3;

  private BenchRunner() {}

  /** Runs {@code spec} here, writing progress to {@code log}; memory peaks are left unset (-1). */
  public static RunResult run(RunSpec spec, PrintStream log) {
    Backend backend = Backends.get(spec.backend());
    BenchConfig config = BenchConfig.named(spec.config());
    BenchSizes sizes = BenchSizes.named(spec.sizes());
    String who = config.key() + "/" + backend.name();
    Rng rng = new Rng(spec.seed());
    Seq2Seq model = config.build(backend, sizes, rng.fork(1));
    Module module = (Module) model;
    log.printf(Locale.ROOT, "%s: %s, %,d parameters, on %s%n", who, config.description(), module.parameterCount(), backend.description());

    List<Seq2SeqBatch> pool = new ArrayList<>(POOL);
    Rng data = rng.fork(2);
    for (int i = 0; i < POOL; i++) {
      pool.add(SyntheticBatches.training(backend, sizes, sizes.batch(), data));
    }
    TrainingStep step = new TrainingStep(model, Adam.adam(module.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(LEARNING_RATE), Double.POSITIVE_INFINITY, 1.0, rng.fork(3));
    boolean compiled = backend instanceof Compiler;
    if (compiled) {
      step.compile();
    }
    log.printf(Locale.ROOT, "%s: training, %d warm-up + %d measured steps of %d target tokens%s%n", who, spec.warmup(),
        spec.steps(), sizes.targetTokensPerBatch(), compiled ? " (compiled)" : "");
    Throughput training = train(step, pool, spec);

    module.setTraining(false);
    suppressEos(module, config.outputBiasName());
    GreedyDecoder greedy = new GreedyDecoder(DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS)
        .setMaxLength(sizes.length()).build());
    List<RunResult.GreedyThroughput> decoding = new ArrayList<>();
    for (int batch : spec.decodeBatches()) {
      log.printf(Locale.ROOT, "%s: greedy decoding, batch %d, %d warm-up + %d measured runs of %d steps%n", who, batch,
          spec.warmup(), spec.steps(), sizes.length());
      Tensor[] source = SyntheticBatches.source(backend, sizes, batch, rng.fork(100 + batch));
      decoding.add(new RunResult.GreedyThroughput(batch, decode(greedy, model, source, sizes.length(), spec)));
    }
    return new RunResult(spec, backend.description(), compiled, training, decoding, -1, -1, -1, null);
  }

  private static Throughput train(TrainingStep step, List<Seq2SeqBatch> pool, RunSpec spec) {
    double[] rates = new double[spec.steps()];
    for (int i = 0; i < spec.warmup() + spec.steps(); i++) {
      long start = System.nanoTime();
      StepResult r;
      try (TensorScope scope = TensorScope.open()) {
        r = step.run(pool.get(i % pool.size()), i + 1);
      }
      long nanos = System.nanoTime() - start;
      if (i >= spec.warmup()) {
        rates[i - spec.warmup()] = Throughput.rate(r.targetTokens(), nanos);
      }
    }
    return Throughput.of(rates);
  }

  private static Throughput decode(GreedyDecoder greedy, Seq2Seq model, Tensor[] source, int length, RunSpec spec) {
    int batch = source[0].dim(0);
    double[] rates = new double[spec.steps()];
    for (int i = 0; i < spec.warmup() + spec.steps(); i++) {
      long start = System.nanoTime();
      List<DecodingResult> results;
      try (TensorScope scope = TensorScope.open()) {
        results = greedy.decode(model, source[0], source[1]);
      }
      long nanos = System.nanoTime() - start;
      checkFullLength(results, length);
      if (i >= spec.warmup()) {
        rates[i - spec.warmup()] = Throughput.rate(batch, nanos);
      }
    }
    return Throughput.of(rates);
  }

  /** Fails unless every result ran all {@code length} steps (no {@code <eos>}). */
  static void checkFullLength(List<DecodingResult> results, int length) {
    for (DecodingResult r : results) {
      if (r.best().finished() || r.tokens().length != length) {
        throw new IllegalStateException(String.format(
            "bench: a greedy decode stopped after %d of %d steps; every run must decode the full length", r.tokens().length, length));
      }
    }
  }

  /** Sets the output bias of {@code <eos>} to {@link #EOS_BIAS} so greedy decoding never picks it. */
  private static void suppressEos(Module model, String biasName) {
    Parameter bias = model.namedParameters().get(biasName);
    if (bias == null) {
      throw new IllegalStateException("bench: the model has no parameter " + biasName + "; parameters are " + model.namedParameters().keySet());
    }
    float[] values = bias.value().toFloatArray();
    values[Vocabulary.EOS] = EOS_BIAS;
    bias.set(Tensors.of(bias.value().backend(), values, values.length));
  }
}
