package dev.seq2seq.examples.reverse;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.compile.Compiler;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.data.Batcher;
import dev.seq2seq.models.data.EncodedPair;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.rnn.GruCell;
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
import dev.seq2seq.examples.plot.AttentionHeatmap;
import dev.seq2seq.examples.plot.AttentionHeatmap.Heatmap;
import dev.seq2seq.examples.plot.LossCurve;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reverse sequences of digits ({@code 40213 -> 31204}) with a GRU encoder-decoder and Bahdanau
 * attention: the example a new user runs first. Data is generated from a seed; the model trains with
 * Adam and gradient clipping, is validated by greedy decoding every few hundred steps (exact match),
 * keeps its best checkpoint, and reports its exact match on held-out sequences with sample decodes.
 */
public final class ReverseExample {
  private ReverseExample() {}

  /**
   * The example's knobs.
   *
   * @param minLength shortest sequence
   * @param maxLength longest sequence
   */
  public record Settings(int trainPairs, int heldOut, int minLength, int maxLength, int embedding, int hidden,
      int batchSize, int steps, double learningRate, int validateEvery, long seed) {
    /** The full run: digit strings of length 5-15, GRU-128, 1,000 held-out sequences. */
    public static Settings full() {
      return new Settings(20_000, 1_000, 5, 15, 32, 128, 64, 2_000, 3e-3, 400, 7);
    }
  }

  /** What a run achieved. */
  public record Result(double heldOutExactMatch, TrainingSummary training, double seconds) {}

  /** Digits 0-9 after the specials. */
  static final Vocabulary VOCABULARY = Vocabulary.of(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

  /** {@code n} random digit strings and their reversals, from {@code seed}. */
  static List<EncodedPair> pairs(int n, int minLength, int maxLength, long seed) {
    Rng rng = new Rng(seed);
    List<EncodedPair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] src = new int[minLength + rng.nextInt(maxLength - minLength + 1)];
      int[] tgt = new int[src.length];
      for (int j = 0; j < src.length; j++) {
        src[j] = VOCABULARY.id(Integer.toString(rng.nextInt(10)));
      }
      for (int j = 0; j < src.length; j++) {
        tgt[j] = src[src.length - 1 - j];
      }
      out.add(new EncodedPair(src, tgt));
    }
    return out;
  }

  /** Runs with the full settings, saving the best checkpoint under {@code runs/reverse}. */
  public static void run(Backend backend) {
    run(backend, Settings.full(), System.out, Path.of("runs", "reverse"));
  }

  /** Trains, validates, evaluates and prints; returns the held-out exact match. */
  public static Result run(Backend backend, Settings s, PrintStream out, Path checkpoint) {
    long start = System.nanoTime();
    out.printf(Locale.ROOT, "reverse: digit strings of length %d-%d, GRU-%d + Bahdanau, batch %d, Adam %.0e (halved every 3/8 of the run), %d steps, on %s%n",
        s.minLength(), s.maxLength(), s.hidden(), s.batchSize(), s.learningRate(), s.steps(), backend.description());
    Batcher train = Batcher.builder().setPairs(pairs(s.trainPairs(), s.minLength(), s.maxLength(), s.seed()))
        .setBatchSize(s.batchSize()).setBackend(backend).optSeed(s.seed()).optBucketing(16).build();
    List<EncodedPair> heldOutPairs = pairs(s.heldOut(), s.minLength(), s.maxLength(), s.seed() + 1);
    List<Seq2SeqBatch> heldOut = Batcher.inOrder(backend, heldOutPairs, 250);
    List<Seq2SeqBatch> validation = heldOut.subList(0, 1);
    RnnSeq2Seq model = RnnSeq2Seq.builder().setBackend(backend).setVocabularies(VOCABULARY.size(), VOCABULARY.size())
        .setCell(GruCell.factory(backend, DType.FLOAT32)).setEmbeddingSize(s.embedding()).setHiddenSize(s.hidden())
        .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(backend, DType.FLOAT32, q, k, q, rng))
        .setRng(new Rng(s.seed())).build();
    TrainingStep step = new TrainingStep(model, Adam.adam(model.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.stepDecay(s.learningRate(), 0.5, Math.max(1, s.steps() * 3 / 8)), 1.0, 1.0, new Rng(s.seed() + 2));
    if (backend instanceof Compiler) {
      step.compile(); // one graph execution per step on tensorflow
    }
    GreedyDecoder greedy = new GreedyDecoder(DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS)
        .setMaxLength(s.maxLength() + 2).build());
    List<TrainingListener> listeners = List.of(new ConsoleProgress(out, s.steps(), 10),
        new BestCheckpoint(checkpoint, model, step.optimizer(), b -> b.optVocabularyJson("digits", VOCABULARY.toJson())));
    TrainingSummary summary = Trainer.builder().setStep(step).setEpochs(train::epoch).optMaxSteps(s.steps())
        .optValidation(new DecodingValidator(validation, greedy, Vocabulary.EOS), s.validateEvery())
        .optMonitor("exact_match", false).optListener(TrainingListener.all(listeners)).build().fit(model);
    model.setTraining(false);
    int exact = 0;
    int shown = 0;
    List<Heatmap> maps = new ArrayList<>();
    int index = 0;
    for (Seq2SeqBatch b : heldOut) {
      try (TensorScope scope = TensorScope.open()) {
        for (DecodingResult r : greedy.decode(model, b.source(), b.sourceMask())) {
          EncodedPair p = heldOutPairs.get(index++);
          boolean right = java.util.Arrays.equals(r.tokens(), p.target());
          exact += right ? 1 : 0;
          if (shown < 5) {
            maps.add(new Heatmap(VOCABULARY.decode(p.source()), VOCABULARY.decode(r.tokens()), r.attention()));
            out.printf("  %-16s -> %-16s %s%n", text(p.source()), text(r.tokens()), right ? "ok" : "expected " + text(p.target()));
            shown++;
          }
        }
      }
    }
    double score = (double) exact / heldOutPairs.size();
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "held-out exact match: %.1f %% of %d sequences; %.0f s in all; best checkpoint: %s%n",
        100 * score, heldOutPairs.size(), seconds, checkpoint.toAbsolutePath());
    Path plots = checkpoint.resolveSibling(checkpoint.getFileName() + "-plots");
    LossCurve.write(plots.resolve("loss.png"), "reverse: GRU + Bahdanau training loss", summary);
    AttentionHeatmap.write(plots.resolve("attention.png"), "reverse: Bahdanau attention of held-out decodes", maps);
    out.printf("plots: %s, %s%n", plots.resolve("loss.png").toAbsolutePath(), plots.resolve("attention.png").toAbsolutePath());
    return new Result(score, summary, seconds);
  }


  private static String text(int[] ids) {
    return String.join("", VOCABULARY.decode(ids, true));
  }
}
