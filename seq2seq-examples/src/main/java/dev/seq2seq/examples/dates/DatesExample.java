package dev.seq2seq.examples.dates;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.compile.Compiler;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.examples.plot.AttentionHeatmap;
import dev.seq2seq.examples.plot.AttentionHeatmap.Heatmap;
import dev.seq2seq.examples.plot.LossCurve;
import dev.seq2seq.models.attention.LuongAttention;
import dev.seq2seq.models.data.Batcher;
import dev.seq2seq.models.data.EncodedPair;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.rnn.LstmCell;
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

/**
 * Dates written many human ways to ISO 8601, character by character ({@code "Tuesday 3 March 1998"
 * -> "1998-03-03"}), with an LSTM encoder-decoder and Luong "general" attention (input feeding).
 * Data comes from {@link DateData}: nine {@link DateFormat}s, days of 1950-2049, and held-out days
 * that are never trained on in any format.
 *
 * <p>A run: Adam with gradient clipping at 1 and the rate halved every 3/8 of the run; validation by
 * greedy decoding (exact match) on held-out dates every few hundred steps, keeping the best
 * checkpoint (weights, optimizer state and both vocabularies); then the best weights are loaded back
 * and scored on 1,000 other held-out dates, with sample decodes and their attention. The model must
 * learn to copy the day and year digits, to turn month names and numbers into two digits, to expand
 * two-digit years ({@code 98 -> 1998}, {@code 07 -> 2007}) and to ignore weekdays, ordinal suffixes and
 * punctuation: the attention heatmap shows where it looks for each output character. On a backend
 * that compiles ({@link Compiler}, i.e. TensorFlow) every training step is one graph execution.
 */
public final class DatesExample {
  private DatesExample() {}

  /** Source tokens: every character the {@link DateFormat}s write (digits, letters, space, {@code ,./-}). */
  public static final Vocabulary WRITTEN = Vocabulary.of(alphabet());

  /** Target tokens: the characters of ISO 8601 dates, {@code 0-9} and {@code -}. */
  public static final Vocabulary ISO = Vocabulary.of(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "-"));

  /**
   * The example's knobs.
   *
   * @param trainPairs training dates drawn (repeats allowed)
   * @param validation held-out dates used to pick the best checkpoint
   * @param heldOut held-out dates scored at the end, on days disjoint from the validation ones
   *     ({@code validation + heldOut <= DateData.MAX_HELD_OUT})
   * @param embedding the character embedding size (source and target)
   * @param hidden the LSTM hidden size (encoder and decoder)
   * @param learningRate Adam's initial rate, halved every 3/8 of the run
   * @param samples how many held-out decodes to print, plot and return
   */
  public record Settings(int trainPairs, int validation, int heldOut, int embedding, int hidden, int batchSize, int steps,
      double learningRate, int validateEvery, int samples, long seed) {
    /** The full run: LSTM-128, batch 64, 2,000 steps, 1,000 held-out dates scored. */
    public static Settings full() {
      return new Settings(100_000, 250, 1_000, 32, 128, 64, 2_000, 3e-3, 250, 6, 11);
    }
  }

  /**
   * One held-out date as decoded.
   *
   * @param example the date, its written form and its ISO form
   * @param decoded the greedy decode, with its attention {@code [outputLength][sourceLength]}
   */
  public record Sample(DateData.Example example, DecodingResult decoded) {
    /** The decoded ISO date. */
    public String output() {
      return String.join("", ISO.decode(decoded.tokens(), true));
    }

    /** Whether the decode is the right ISO date. */
    public boolean correct() {
      return output().equals(example.target());
    }
  }

  /** What a run achieved. */
  public record Result(double heldOutExactMatch, TrainingSummary training, List<Sample> samples, double seconds) {}

  /** Runs with the full settings, saving the best checkpoint under {@code runs/dates}. */
  public static void run(Backend backend) {
    run(backend, Settings.full(), System.out, Path.of("runs", "dates"));
  }

  /** Trains, validates, restores the best checkpoint, scores the held-out dates and prints samples. */
  public static Result run(Backend backend, Settings s, PrintStream out, Path checkpoint) {
    long start = System.nanoTime();
    out.printf(Locale.ROOT, "dates: %d written forms to ISO 8601, LSTM-%d + Luong general, batch %d, Adam %.0e "
            + "(halved every 3/8 of the run), %d steps, on %s%n",
        DateFormat.values().length, s.hidden(), s.batchSize(), s.learningRate(), s.steps(), backend.description());
    DateData data = new DateData(s.seed());
    List<DateData.Example> heldOutDates = data.heldOut(s.validation() + s.heldOut());
    List<DateData.Example> validationDates = heldOutDates.subList(0, s.validation());
    List<DateData.Example> testDates = heldOutDates.subList(s.validation(), heldOutDates.size());
    List<EncodedPair> testPairs = pairs(testDates);
    List<Seq2SeqBatch> testBatches = Batcher.inOrder(backend, testPairs, 250);
    List<Seq2SeqBatch> validationBatches = Batcher.inOrder(backend, pairs(validationDates), 250);
    Batcher train = Batcher.builder().setPairs(pairs(data.training(s.trainPairs()))).setBatchSize(s.batchSize())
        .setBackend(backend).optSeed(s.seed()).optBucketing(16).build();

    RnnSeq2Seq model = RnnSeq2Seq.builder().setBackend(backend).setVocabularies(WRITTEN.size(), ISO.size())
        .setCell(LstmCell.factory(backend, DType.FLOAT32)).setEmbeddingSize(s.embedding()).setHiddenSize(s.hidden())
        .optAttention(AttentionStyle.LUONG, (q, k, rng) -> LuongAttention.general(backend, DType.FLOAT32, q, k, rng))
        .setRng(new Rng(s.seed())).build();
    TrainingStep step = new TrainingStep(model, Adam.adam(model.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.stepDecay(s.learningRate(), 0.5, Math.max(1, s.steps() * 3 / 8)), 1.0, 1.0,
        new Rng(s.seed() + 2));
    if (backend instanceof Compiler) {
      step.compile(); // one graph execution per step on tensorflow
    }
    GreedyDecoder greedy = new GreedyDecoder(DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS)
        .setMaxLength(ISO_LENGTH + 2).build());
    BestCheckpoint best = new BestCheckpoint(checkpoint, model, step.optimizer(), b -> b
        .optVocabularyJson("written", WRITTEN.toJson()).optVocabularyJson("iso", ISO.toJson()));
    TrainingSummary summary = Trainer.builder().setStep(step).setEpochs(train::epoch).optMaxSteps(s.steps())
        .optValidation(new DecodingValidator(validationBatches, greedy, Vocabulary.EOS), s.validateEvery())
        .optMonitor("exact_match", false)
        .optListener(TrainingListener.all(List.of(new ConsoleProgress(out, s.steps(), 10), best))).build().fit(model);

    if (best.restore() > 0) {
      out.printf("restored the best checkpoint (step %d)%n", best.savedStep());
    }
    model.setTraining(false);
    List<Sample> samples = new ArrayList<>();
    int exact = 0;
    int index = 0;
    for (Seq2SeqBatch b : testBatches) {
      try (TensorScope scope = TensorScope.open()) {
        for (DecodingResult r : greedy.decode(model, b.source(), b.sourceMask())) {
          exact += Arrays.equals(r.tokens(), testPairs.get(index).target()) ? 1 : 0;
          if (samples.size() < s.samples()) {
            samples.add(new Sample(testDates.get(index), r));
          }
          index++;
        }
      }
    }
    for (Sample sample : samples) {
      out.printf("  %-28s -> %-10s %s%n", sample.example().source(), sample.output(),
          sample.correct() ? "ok" : "expected " + sample.example().target());
    }
    double score = (double) exact / testPairs.size();
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "held-out exact match: %.1f %% of %d dates; %.0f s in all; best checkpoint (step %d): %s%n",
        100 * score, testPairs.size(), seconds, best.savedStep(), checkpoint.toAbsolutePath());
    Path plots = checkpoint.resolveSibling(checkpoint.getFileName() + "-plots");
    LossCurve.write(plots.resolve("loss.png"), "dates: LSTM + Luong training loss", summary);
    AttentionHeatmap.write(plots.resolve("attention.png"), "dates: Luong attention of held-out decodes",
        samples.stream().map(x -> new Heatmap(characters(x.example().source()), ISO.decode(x.decoded().tokens()),
            x.decoded().attention())).toList());
    out.printf("plots: %s, %s%n", plots.resolve("loss.png").toAbsolutePath(), plots.resolve("attention.png").toAbsolutePath());
    return new Result(score, summary, List.copyOf(samples), seconds);
  }

  /** {@code examples} as character pairs, written form to ISO form. */
  static List<EncodedPair> pairs(List<DateData.Example> examples) {
    return examples.stream().map(e -> new EncodedPair(WRITTEN.encode(characters(e.source())), ISO.encode(characters(e.target()))))
        .toList();
  }

  /** The characters of {@code text}, one string each. */
  static List<String> characters(String text) {
    return text.chars().mapToObj(c -> String.valueOf((char) c)).toList();
  }

  /**
   * Every character that some format writes for some day: the formats rendered on every day of a
   * leap year that starts on a Monday (1996: all months, weekdays, one- and two-digit days) and a
   * date with every digit in its year, sorted so the vocabulary is the same on every run.
   */
  private static List<String> alphabet() {
    java.util.SortedSet<String> chars = new java.util.TreeSet<>();
    for (java.time.LocalDate d = java.time.LocalDate.of(1996, 1, 1); d.getYear() == 1996; d = d.plusDays(1)) {
      for (DateFormat f : DateFormat.values()) {
        chars.addAll(characters(f.render(d)));
      }
    }
    for (char c = '0'; c <= '9'; c++) {
      chars.add(String.valueOf(c));
    }
    return List.copyOf(chars);
  }

  /** {@code yyyy-mm-dd}. */
  private static final int ISO_LENGTH = 10;
}
