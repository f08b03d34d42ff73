package dev.seq2seq.examples.customcell;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.compile.Compiler;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.examples.plot.AttentionHeatmap;
import dev.seq2seq.examples.plot.AttentionHeatmap.Heatmap;
import dev.seq2seq.examples.plot.LossCurve;
import dev.seq2seq.models.data.Batcher;
import dev.seq2seq.models.data.EncodedPair;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.inject.RnnModelConfig;
import dev.seq2seq.models.inject.RnnSeq2SeqFactory;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import dev.seq2seq.models.training.BestCheckpoint;
import dev.seq2seq.models.training.ConsoleProgress;
import dev.seq2seq.models.training.DecodingValidator;
import dev.seq2seq.models.training.Trainer;
import dev.seq2seq.models.training.TrainingListener;
import dev.seq2seq.models.training.TrainingStep;
import dev.seq2seq.models.training.TrainingSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code custom-cell} example: a cell written here, outside the framework ({@link IndRnnCell}),
 * registered by name through Dagger ({@link CustomCells}, {@link CustomCellComponent}), built by name
 * from an {@link RnnModelConfig}, then trained and decoded like a built-in cell — on short digit
 * strings to reverse, with Bahdanau attention. It prints what happens at each of these stages.
 */
public final class CustomCellExample {
  private CustomCellExample() {}

  /**
   * The example's knobs.
   *
   * @param testPairs strings decoded at the end, drawn with another seed
   * @param minLength shortest digit string
   * @param maxLength longest digit string
   */
  public record Settings(int trainPairs, int testPairs, int minLength, int maxLength, int embedding, int hidden,
      int batchSize, int steps, double learningRate, int validateEvery, long seed) {
    /**
     * The full run: strings of 3-6 digits, hidden size 64, 600 steps, 500 test strings drawn with
     * another seed (not all unseen: there are only 1,000 strings of three digits).
     */
    public static Settings full() {
      return new Settings(10_000, 500, 3, 6, 32, 64, 64, 600, 1e-2, 200, 5);
    }
  }

  /** What a run achieved: the registered cell names, the model's parameter count and the exact match on the test strings. */
  public record Result(Set<String> cells, long parameters, double exactMatch, TrainingSummary training) {}

  /** Digits 0-9 after the specials. */
  static final Vocabulary DIGITS = Vocabulary.of(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

  /** Runs with the full settings, saving the best checkpoint under {@code runs/custom-cell}. */
  public static void run(Backend backend) {
    run(backend, Settings.full(), System.out, Path.of("runs", "custom-cell"));
  }

  /**
   * Registers, builds, trains (keeping the best checkpoint, with the model config and vocabulary, in
   * {@code checkpoint}) and decodes; prints each stage and writes the loss curve and attention
   * heatmaps to {@code checkpoint}'s sibling {@code NAME-plots}.
   */
  public static Result run(Backend backend, Settings s, PrintStream out, Path checkpoint) {
    out.println("1. the cell: IndRnnCell, user code implementing dev.seq2seq.api.nn.Cell with tensor operations only:");
    out.println("     h' = tanh(x W^T + u * h + b)   (u: one recurrent weight per unit; no gradient code)");

    RnnSeq2SeqFactory models = CustomCellComponent.on(backend).rnnSeq2Seq();
    out.printf("2. registered through Dagger: @Provides @IntoMap @StringKey(\"%s\") in CustomCells, included in CustomCellComponent;%n"
        + "     the component's cells are now %s%n", CustomCells.INDRNN, models.cellNames());

    RnnModelConfig config = new RnnModelConfig(CustomCells.INDRNN, AttentionStyle.BAHDANAU, "bahdanau",
        DIGITS.size(), DIGITS.size(), s.embedding(), s.hidden(), 1, false, 0.0, DType.FLOAT32, s.seed());
    RnnSeq2Seq model = models.create(config);
    out.printf(Locale.ROOT, "3. built by name from %s:%n     an RnnSeq2Seq of %,d parameters on %s; the decoder's cell has%n",
        config, model.parameterCount(), backend.name());
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      if (e.getKey().startsWith("decoder.cells.0.")) {
        out.printf("       %-26s %s%n", e.getKey(), e.getValue().shape());
      }
    }

    out.printf(Locale.ROOT, "4. training on digit strings of length %d-%d to reverse: batch %d, Adam %.0e (halved every 3/8 of the run), "
        + "%d steps%n", s.minLength(), s.maxLength(), s.batchSize(), s.learningRate(), s.steps());
    Batcher train = Batcher.builder().setPairs(reversals(s.trainPairs(), s.minLength(), s.maxLength(), s.seed()))
        .setBatchSize(s.batchSize()).setBackend(backend).optSeed(s.seed()).build();
    List<EncodedPair> test = reversals(s.testPairs(), s.minLength(), s.maxLength(), s.seed() + 1);
    List<Seq2SeqBatch> testBatches = Batcher.inOrder(backend, test, 250);
    TrainingStep step = new TrainingStep(model, Adam.adam(model.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.stepDecay(s.learningRate(), 0.5, Math.max(1, s.steps() * 3 / 8)), 1.0, 1.0, new Rng(s.seed() + 2));
    if (backend instanceof Compiler) {
      step.compile(); // one graph execution per step on tensorflow, the custom cell included
    }
    GreedyDecoder greedy = new GreedyDecoder(DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS)
        .setMaxLength(s.maxLength() + 2).build());
    BestCheckpoint best = new BestCheckpoint(checkpoint, model, step.optimizer(), b -> b.optConfig(config)
        .optVocabularyJson("digits", DIGITS.toJson()));
    TrainingSummary summary = Trainer.builder().setStep(step).setEpochs(train::epoch).optMaxSteps(s.steps())
        .optValidation(new DecodingValidator(testBatches.subList(0, 1), greedy, Vocabulary.EOS), s.validateEvery())
        .optMonitor("exact_match", false)
        .optListener(TrainingListener.all(List.of(new ConsoleProgress(out, s.steps(), 10), best))).build().fit(model);
    best.restore();

    out.printf("5. greedy decoding of new strings (drawn with another seed), best checkpoint (step %d):%n", best.savedStep());
    model.setTraining(false);
    List<Heatmap> maps = new ArrayList<>();
    int exact = 0;
    int index = 0;
    for (Seq2SeqBatch b : testBatches) {
      try (TensorScope scope = TensorScope.open()) {
        for (DecodingResult r : greedy.decode(model, b.source(), b.sourceMask())) {
          EncodedPair p = test.get(index++);
          boolean right = Arrays.equals(r.tokens(), p.target());
          exact += right ? 1 : 0;
          if (index <= 5) {
            maps.add(new Heatmap(DIGITS.decode(p.source()), DIGITS.decode(r.tokens()), r.attention()));
            out.printf("     %-8s -> %-8s %s%n", text(p.source()), text(r.tokens()), right ? "ok" : "expected " + text(p.target()));
          }
        }
      }
    }
    double score = (double) exact / test.size();
    out.printf(Locale.ROOT, "exact match with the custom cell: %.1f %% of %d new strings; checkpoint: %s%n", 100 * score,
        test.size(), checkpoint.toAbsolutePath());
    Path plots = checkpoint.resolveSibling(checkpoint.getFileName() + "-plots");
    LossCurve.write(plots.resolve("loss.png"), "custom-cell: IndRNN + Bahdanau training loss", summary);
    AttentionHeatmap.write(plots.resolve("attention.png"), "custom-cell: Bahdanau attention over the IndRNN encoder", maps);
    out.printf("plots: %s, %s%n", plots.resolve("loss.png").toAbsolutePath(), plots.resolve("attention.png").toAbsolutePath());
    return new Result(models.cellNames(), model.parameterCount(), score, summary);
  }

  /** {@code n} random digit strings and their reversals, from {@code seed}. */
  static List<EncodedPair> reversals(int n, int minLength, int maxLength, long seed) {
    Rng rng = new Rng(seed);
    List<EncodedPair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] source = new int[minLength + rng.nextInt(maxLength - minLength + 1)];
      int[] target = new int[source.length];
      for (int j = 0; j < source.length; j++) {
        source[j] = DIGITS.id(Integer.toString(rng.nextInt(10)));
        target[source.length - 1 - j] = source[j];
      }
      out.add(new EncodedPair(source, target));
    }
    return out;
  }


  private static String text(int[] ids) {
    return String.join("", DIGITS.decode(ids, true));
  }
}
