package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.compile.Compiler;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.examples.plot.LossCurve;
import dev.seq2seq.models.checkpoint.Checkpoint;
import dev.seq2seq.models.checkpoint.CheckpointWriter;
import dev.seq2seq.models.checkpoint.TrainingState;
import dev.seq2seq.models.data.Batcher;
import dev.seq2seq.models.data.EncodedPair;
import dev.seq2seq.models.data.PairEncoder;
import dev.seq2seq.models.data.SentencePair;
import dev.seq2seq.models.data.Tokenizer;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.inject.BackendBoundComponent;
import dev.seq2seq.models.inject.ModelSpec;
import dev.seq2seq.models.inject.SavedModel;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.training.BestCheckpoint;
import dev.seq2seq.models.training.ConsoleProgress;
import dev.seq2seq.models.training.DecodingValidator;
import dev.seq2seq.models.training.StepResult;
import dev.seq2seq.models.training.TeacherForcedValidator;
import dev.seq2seq.models.training.Trainer;
import dev.seq2seq.models.training.TrainingListener;
import dev.seq2seq.models.training.TrainingStep;
import dev.seq2seq.models.training.TrainingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seq2seq train}: trains a model on a tab-separated corpus and saves it (with its config and vocabularies) to {@code --out}. */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true, description = {
    "Train a model on a tab-separated corpus (source<TAB>target a line) and save it to --out: weights, model config,"
        + " tokenizer and both vocabularies, all that 'translate' and 'eval' need.",
    "Adam with gradient clipping; a step budget (--steps) or epochs (--epochs). With --valid, validates every"
        + " --validate-every steps and at the end (greedy exact match and BLEU, teacher-forced loss and token accuracy),"
        + " keeps the best model by --monitor and stops early after --patience validations without improvement;"
        + " without it, saves the final model.",
    "On a backend that compiles (tensorflow), each training step runs as one compiled graph when dropout is 0;"
        + " with dropout the step runs eagerly, because a compiled step cannot draw fresh dropout masks."})
final class TrainCommand implements Callable<Integer> {
  private static final List<String> MONITORS = List.of("bleu", "exact_match", "token_accuracy", "loss");
  private static final List<String> SCHEDULES = List.of("constant", "decay", "warmup");

  @Mixin
  BackendOption backend = new BackendOption();

  @Option(names = "--train", required = true, paramLabel = "FILE", description = "training corpus, source<TAB>target a line")
  Path train;

  @Option(names = "--valid", paramLabel = "FILE", description = "validation corpus (same format)")
  Path valid;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the best (or final) model is saved")
  Path out;

  @Mixin
  ModelFlags model = new ModelFlags();

  @Option(names = "--resume", paramLabel = "DIR",
      description = "continue training the model that train saved in DIR: its weights, optimizer state, step count (so the"
          + " learning-rate schedule and the batch order continue), config and vocabularies. --steps and --epochs then"
          + " count all steps, those already taken included; model flags are not allowed; the best model of the"
          + " continued run is saved to --out (which may be DIR)")
  Path resume;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "sentence pairs a step (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--steps", paramLabel = "N", description = "training steps (default 1000 unless --epochs is given)")
  Integer steps;

  @Option(names = "--epochs", paramLabel = "N", description = "passes over the training data (instead of --steps)")
  Integer epochs;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001", description = "Adam's learning rate (peak rate for warmup; default ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant",
      description = "constant (default), decay (halve every 3/8 of the run) or warmup (linear warmup over --warmup steps, then 1/sqrt(step))")
  String schedule;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "400", description = "warmup steps of --schedule warmup (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--clip", paramLabel = "NORM", defaultValue = "1.0", description = "global gradient-norm clipping (default ${DEFAULT-VALUE})")
  double clip;

  @Option(names = "--label-smoothing", paramLabel = "E", defaultValue = "0", description = "label smoothing in [0, 1) (default ${DEFAULT-VALUE})")
  double labelSmoothing;

  @Option(names = "--min-frequency", paramLabel = "N", defaultValue = "1", description = "rarer tokens become <unk> (default ${DEFAULT-VALUE})")
  int minFrequency;

  @Option(names = "--validate-every", paramLabel = "N", defaultValue = "200", description = "steps between validations (default ${DEFAULT-VALUE})")
  int validateEvery;

  @Option(names = "--monitor", paramLabel = "METRIC", defaultValue = "bleu", description = "bleu (default), exact_match, token_accuracy or loss")
  String monitor;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "0", description = "stop after N validations without improvement (0 = never)")
  int patience;

  @Override
  public Integer call() throws IOException {
    checkRanges();
    Backend b = backend.backend();
    Resumed from = resume == null ? null : Resumed.load(resume, b, model.given());
    ModelSpec spec = from == null ? model.spec() : from.saved().spec();
    List<SentencePair> trainPairs = Corpus.read("--train", train);
    List<SentencePair> validPairs = valid == null ? List.of() : Corpus.read("--valid", valid);
    Tokenizer tokenizer = spec.newTokenizer();
    Vocabulary source = from != null ? from.saved().source()
        : Vocabulary.builder().addAll(trainPairs, p -> tokenizer.tokenize(p.source())).optMinFrequency(minFrequency).build();
    Vocabulary target = from != null ? from.saved().target()
        : Vocabulary.builder().addAll(trainPairs, p -> tokenizer.tokenize(p.target())).optMinFrequency(minFrequency).build();
    PairEncoder encoder = new PairEncoder(tokenizer, source, tokenizer, target);
    Batcher.Builder batcher = Batcher.builder().setPairs(encoder.encodeAll(trainPairs)).setBatchSize(batch).setBackend(b)
        .optSeed(spec.seed()).optBucketing(16);
    if (spec.isTransformer()) {
      batcher.optMaxSourceLength(spec.maxLength() - 1).optMaxTargetLength(spec.maxLength() - 1);
    }
    Batcher trainBatches = batcher.build();
    if (trainBatches.filteredCount() > 0) {
      System.out.printf(Locale.ROOT, "train: %,d pairs longer than max_length %d - 1 tokens are left out%n",
          trainBatches.filteredCount(), spec.maxLength());
    }
    Seq2Seq net = from != null ? from.saved().model() : spec.build(BackendBoundComponent.on(b), source.size(), target.size());
    long totalSteps = epochs != null ? (long) epochs * trainBatches.batchesPerEpoch() : steps != null ? steps : 1000;
    long done = from == null ? 0 : from.state().step();
    if (done >= totalSteps) {
      throw new UsageException("--resume %s: the model has already trained %d steps; %s leaves none to do (they count the"
          + " steps already taken)", resume, done, epochs != null ? "--epochs " + epochs : "--steps " + totalSteps);
    }
    TrainingStep step = new TrainingStep(net, Adam.adam(((Module) net).namedParameters()), new CrossEntropyLoss(labelSmoothing),
        schedule(totalSteps), clip, 1.0, new Rng(spec.seed() + 1));
    if (from != null) {
      step.optimizer().loadState(from.checkpoint().optimizerState(b));
      from.state().restoreModuleRandoms((Module) net);
    }
    boolean compiled = b instanceof Compiler && spec.dropout() == 0;
    if (compiled) {
      step.compile();
    }
    PrintStream console = System.out;
    console.printf(Locale.ROOT, "train: %,d pairs (%s), vocabularies %,d / %,d tokens, %s; %s; batch %d, %,d steps, on %s%s%n",
        trainPairs.size(), train, source.size(), target.size(), spec.describe(), schedule, batch, totalSteps, b.description(),
        compiled ? " (compiled steps)" : b instanceof Compiler ? " (eager steps: dropout > 0 needs fresh masks each step)" : "");
    if (from != null) {
      console.printf(Locale.ROOT, "resumed from %s at step %,d%n", resume, done);
    }
    BestCheckpoint best = new BestCheckpoint(out, (Module) net, step.optimizer(), SavedModel.contents(spec, source, target));
    List<TrainingListener> listeners = List.of(new ConsoleProgress(console, totalSteps, 10), best);
    // the batch order continues where the saved run stopped: epoch done / perEpoch, batch done % perEpoch
    int perEpoch = trainBatches.batchesPerEpoch();
    int firstEpoch = (int) (done / perEpoch);
    int firstBatch = (int) (done % perEpoch);
    Trainer.Builder trainer = Trainer.builder().setStep(step)
        .setEpochs(e -> trainBatches.epochFrom(firstEpoch + e, e == 0 ? firstBatch : 0))
        .optMaxSteps(totalSteps - done).optFirstStep(done).optListener(TrainingListener.all(listeners));
    if (epochs != null) {
      trainer.optMaxEpochs(epochs - firstEpoch);
    }
    if (!validPairs.isEmpty()) {
      List<Seq2SeqBatch> validBatches = Batcher.inOrder(b, encoder.encodeAll(validPairs), Math.max(batch, 64));
      int longest = validPairs.stream().mapToInt(p -> tokenizer.tokenize(p.target()).size()).max().orElse(1) + 5;
      int limit = spec.isTransformer() ? Math.min(longest, spec.maxLength() - 1) : longest;
      GreedyDecoder greedy = new GreedyDecoder(DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS)
          .setMaxLength(limit).build());
      trainer.optValidation(DecodingValidator.combine(new TeacherForcedValidator(validBatches),
          new DecodingValidator(validBatches, greedy, Vocabulary.EOS)), validateEvery).optMonitor(monitor, monitor.equals("loss"));
      if (patience > 0) {
        trainer.optEarlyStopping(patience);
      }
    }
    TrainingSummary summary = trainer.build().fit(net);
    if (best.savedStep() == 0) {
      // with its optimizer state and step count, so that --resume can continue it
      SavedModel.contents(spec, source, target).apply(CheckpointWriter.builder().setModel((Module) net)
          .optOptimizerState(step.optimizer().stateValues())
          .optTrainingState(TrainingState.of(done + summary.steps(), 0).withModuleRandoms((Module) net))).build().save(out);
      console.printf(Locale.ROOT, "saved the final model (step %d) to %s%n", done + summary.steps(), out);
    } else {
      StringBuilder metrics = new StringBuilder();
      summary.bestMetrics().forEach((k, v) -> metrics.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
      console.printf(Locale.ROOT, "best model: step %d (by %s):%s; saved to %s%n", summary.bestStep(), monitor, metrics, out);
    }
    Path lossCurve = out.toAbsolutePath().resolveSibling(out.getFileName() + "-plots").resolve("loss.png");
    LossCurve.write(lossCurve, "seq2seq train: " + out.getFileName(), summary);
    console.printf("loss curve: %s%n", lossCurve);
    return 0;
  }

  /** What {@code --resume DIR} restores: the saved model (config, vocabularies, weights) and its optimizer and training state. */
  private record Resumed(SavedModel saved, Checkpoint checkpoint, TrainingState state) {
    static Resumed load(Path directory, Backend backend, List<String> modelFlags) throws IOException {
      if (!modelFlags.isEmpty()) {
        throw new UsageException("--resume %s: the model and its config come from %s; drop %s", directory, directory,
            String.join(", ", modelFlags));
      }
      SavedModel saved;
      try {
        saved = SavedModel.load(directory, BackendBoundComponent.on(backend));
      } catch (NoSuchFileException e) {
        throw new UsageException("--resume %s: no such directory (expected the --out directory of 'seq2seq train')", directory);
      }
      Checkpoint checkpoint = Checkpoint.load(directory);
      if (checkpoint.optimizerState().isEmpty() || checkpoint.trainingState().isEmpty()) {
        throw new UsageException("--resume %s: the model has no optimizer state or step count to continue from"
            + " (expected a model saved by 'seq2seq train')", directory);
      }
      return new Resumed(saved, checkpoint, checkpoint.trainingState().get());
    }
  }

  private void checkRanges() {
    if (batch < 1) {
      throw new UsageException("--batch %d: expected a batch size >= 1", batch);
    }
    if (steps != null && epochs != null) {
      throw new UsageException("--steps and --epochs: give one of them, not both");
    }
    if ((steps != null && steps < 1) || (epochs != null && epochs < 1)) {
      throw new UsageException("--%s %d: expected >= 1", steps != null ? "steps" : "epochs", steps != null ? steps : epochs);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new UsageException("--lr %s: expected a finite rate > 0", learningRate);
    }
    if (!(clip > 0)) {
      throw new UsageException("--clip %s: expected a norm > 0", clip);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new UsageException("--label-smoothing %s: expected a value in [0, 1)", labelSmoothing);
    }
    if (validateEvery < 1 || warmup < 1 || minFrequency < 1 || patience < 0) {
      throw new UsageException("--validate-every %d, --warmup %d, --min-frequency %d, --patience %d: expected >= 1, >= 1, >= 1, >= 0",
          validateEvery, warmup, minFrequency, patience);
    }
    if (!MONITORS.contains(monitor)) {
      throw new UsageException("--monitor %s: expected one of %s", monitor, MONITORS);
    }
    if (!SCHEDULES.contains(schedule)) {
      throw new UsageException("--schedule %s: expected one of %s", schedule, SCHEDULES);
    }
  }

  private LearningRateSchedule schedule(long totalSteps) {
    return switch (schedule) {
      case "decay" -> LearningRateSchedule.stepDecay(learningRate, 0.5, Math.max(1, totalSteps * 3 / 8));
      case "warmup" -> LearningRateSchedule.warmupInverseSqrt(learningRate, warmup);
      default -> LearningRateSchedule.constant(learningRate);
    };
  }

}
