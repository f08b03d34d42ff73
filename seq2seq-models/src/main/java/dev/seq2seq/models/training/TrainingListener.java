package dev.seq2seq.models.training;

import java.util.Map;

/** Receives a {@link Trainer}'s progress: for progress bars, logs and checkpoints. All methods default to nothing. */
public interface TrainingListener {
  /** After every optimisation step; {@code seconds} since training began. */
  default void onStep(StepResult result, double seconds) {}

  /** After every validation, with whether it is the best so far by the monitored metric. */
  default void onValidation(long step, Map<String, Double> metrics, boolean best) {}

  /** Once at the end. */
  default void onEnd(TrainingSummary summary) {}
}
