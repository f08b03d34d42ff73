package dev.seq2seq.models.training;

import java.util.List;
import java.util.Map;

/** Receives a {@link Trainer}'s progress: for progress bars, logs and checkpoints. All methods default to nothing. */
public interface TrainingListener {
  /** After every optimisation step; {@code seconds} since training began. */
  default void onStep(StepResult result, double seconds) {}

  /** After every validation, with whether it is the best so far by the monitored metric. */
  default void onValidation(long step, Map<String, Double> metrics, boolean best) {}

  /** Once at the end. */
  default void onEnd(TrainingSummary summary) {}

  /** One listener that passes every event to each of {@code listeners}, in order. */
  static TrainingListener all(List<? extends TrainingListener> listeners) {
    List<TrainingListener> copy = List.copyOf(listeners);
    return new TrainingListener() {
      @Override
      public void onStep(StepResult result, double seconds) {
        copy.forEach(l -> l.onStep(result, seconds));
      }

      @Override
      public void onValidation(long step, Map<String, Double> metrics, boolean best) {
        copy.forEach(l -> l.onValidation(step, metrics, best));
      }

      @Override
      public void onEnd(TrainingSummary summary) {
        copy.forEach(l -> l.onEnd(summary));
      }
    };
  }
}
