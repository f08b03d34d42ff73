package dev.seq2seq.models.training;

import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.TensorScope;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The training loop: epochs of batches (or a step budget), a {@link TrainingStep} per batch inside
 * its own {@link TensorScope}, validation every N steps and at the end, early stopping when the
 * monitored metric has not improved for {@code patience} validations, and a {@link TrainingListener}
 * told about every step and validation (it saves the best checkpoint when {@code best} is true).
 *
 * <p>Deterministic: the same model seed, data order and training-step seed give the same run.
 */
public final class Trainer {
  private final TrainingStep step;
  private final IntFunction<Iterable<Seq2SeqBatch>> epochs;
  private final int maxEpochs;
  private final long maxSteps;
  private final long validateEvery;
  private final Validator validator;
  private final String monitor;
  private final boolean lowerIsBetter;
  private final int patience;
  private final TrainingListener listener;
  private final long firstStep;

  private Trainer(Builder b) {
    this.step = b.step;
    this.epochs = b.epochs;
    this.maxEpochs = b.maxEpochs;
    this.maxSteps = b.maxSteps;
    this.validateEvery = b.validateEvery;
    this.validator = b.validator;
    this.monitor = b.monitor;
    this.lowerIsBetter = b.lowerIsBetter;
    this.patience = b.patience;
    this.listener = b.listener;
    this.firstStep = b.firstStep;
  }

  /** A builder: {@code setX} for required, {@code optX} for optional settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Trains {@code model} (the model the {@link TrainingStep} updates). */
  public TrainingSummary fit(Seq2Seq model) {
    long start = System.nanoTime();
    long stepNumber = firstStep;
    long tokens = 0;
    int epochsRun = 0;
    boolean stoppedEarly = false;
    double best = Double.NaN;
    long bestStep = 0;
    Map<String, Double> bestMetrics = Map.of();
    int sinceBest = 0;
    List<Double> losses = new ArrayList<>();
    List<Map.Entry<Long, Map<String, Double>>> validations = new ArrayList<>();
    long lastValidated = -1;
    training:
    for (int epoch = 0; epoch < maxEpochs; epoch++) {
      for (Seq2SeqBatch batch : epochs.apply(epoch)) {
        if (stepNumber - firstStep >= maxSteps) {
          break training;
        }
        stepNumber++;
        epochsRun = epoch + 1;
        StepResult r;
        try (TensorScope scope = TensorScope.open()) {
          r = step.run(batch, stepNumber);
        }
        losses.add(r.loss());
        tokens += r.targetTokens();
        listener.onStep(r, (System.nanoTime() - start) / 1e9);
        if (validator != null && validateEvery > 0 && stepNumber % validateEvery == 0) {
          Map<String, Double> m = validate(model);
          lastValidated = stepNumber;
          validations.add(new AbstractMap.SimpleImmutableEntry<>(stepNumber, m));
          Double value = m.get(monitor);
          checkState(value != null, "trainer: the validator reports %s, not the monitored metric '%s'", m.keySet(), monitor);
          boolean improved = Double.isNaN(best) || (lowerIsBetter ? value < best : value > best);
          if (improved) {
            best = value;
            bestStep = stepNumber;
            bestMetrics = m;
            sinceBest = 0;
          } else {
            sinceBest++;
          }
          listener.onValidation(stepNumber, m, improved);
          if (patience > 0 && sinceBest >= patience) {
            stoppedEarly = true;
            break training;
          }
        }
      }
    }
    if (validator != null && lastValidated != stepNumber && stepNumber > firstStep && !stoppedEarly) {
      Map<String, Double> m = validate(model);
      validations.add(new AbstractMap.SimpleImmutableEntry<>(stepNumber, m));
      Double value = m.get(monitor);
      boolean improved = value != null && (Double.isNaN(best) || (lowerIsBetter ? value < best : value > best));
      if (improved) {
        bestStep = stepNumber;
        bestMetrics = m;
      }
      listener.onValidation(stepNumber, m, improved);
    }
    TrainingSummary summary = new TrainingSummary(stepNumber - firstStep, epochsRun, stoppedEarly, bestStep,
        bestMetrics, Collections.unmodifiableList(losses), Collections.unmodifiableList(validations),
        (System.nanoTime() - start) / 1e9, tokens);
    listener.onEnd(summary);
    return summary;
  }

  private Map<String, Double> validate(Seq2Seq model) {
    Module module = (Module) model;
    boolean wasTraining = module.isTraining();
    module.setTraining(false);
    try (GradMode.Scope ignored = GradMode.disabled()) {
      return new LinkedHashMap<>(validator.validate(model));
    } finally {
      module.setTraining(wasTraining);
    }
  }

  /** Settings of a {@link Trainer}. */
  public static final class Builder {
    private TrainingStep step;
    private IntFunction<Iterable<Seq2SeqBatch>> epochs;
    private int maxEpochs = Integer.MAX_VALUE;
    private long maxSteps = Long.MAX_VALUE;
    private long validateEvery;
    private Validator validator;
    private String monitor = "loss";
    private boolean lowerIsBetter = true;
    private int patience;
    private TrainingListener listener = new TrainingListener() {};
    private long firstStep;

    private Builder() {}

    /** The optimisation step (model, optimizer, loss, schedule, clipping, teacher forcing). */
    public Builder setStep(TrainingStep step) {
      this.step = step;
      return this;
    }

    /** The batches of epoch {@code e} (0-based), e.g. reshuffled with a seed derived from {@code e}. */
    public Builder setEpochs(IntFunction<Iterable<Seq2SeqBatch>> epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Stop after this many epochs (default: unbounded; set it or {@link #optMaxSteps}). */
    public Builder optMaxEpochs(int maxEpochs) {
      this.maxEpochs = maxEpochs;
      return this;
    }

    /** Stop after this many steps. */
    public Builder optMaxSteps(long maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    /** Validate every {@code every} steps (and at the end) with {@code validator}. */
    public Builder optValidation(Validator validator, long every) {
      this.validator = validator;
      this.validateEvery = every;
      return this;
    }

    /** The metric that decides the best model and early stopping (default {@code loss}, lower is better). */
    public Builder optMonitor(String metric, boolean lowerIsBetter) {
      this.monitor = metric;
      this.lowerIsBetter = lowerIsBetter;
      return this;
    }

    /** Stop after {@code patience} validations without improvement (0 = never). */
    public Builder optEarlyStopping(int patience) {
      this.patience = patience;
      return this;
    }

    /** Progress, validation and end events. */
    public Builder optListener(TrainingListener listener) {
      this.listener = listener;
      return this;
    }

    /** Continue numbering after {@code step} steps already taken (when resuming). */
    public Builder optFirstStep(long step) {
      this.firstStep = step;
      return this;
    }

    /**
     * Builds the trainer.
     *
     * @throws IllegalStateException naming the missing or invalid setting
     */
    public Trainer build() {
      checkState(step != null, "trainer: setStep is required");
      checkState(epochs != null, "trainer: setEpochs is required");
      checkState(maxEpochs != Integer.MAX_VALUE || maxSteps != Long.MAX_VALUE, "trainer: set optMaxEpochs or optMaxSteps");
      checkState(maxEpochs > 0 && maxSteps > 0, "trainer: epoch and step budgets must be positive");
      checkState(patience >= 0, "trainer: patience must be >= 0, got %s", patience);
      checkState(patience == 0 || validator != null, "trainer: early stopping needs a validator");
      checkState(firstStep >= 0, "trainer: first step must be >= 0");
      return new Trainer(this);
    }
  }
}
