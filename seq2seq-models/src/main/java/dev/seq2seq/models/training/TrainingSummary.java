package dev.seq2seq.models.training;

import java.util.List;
import java.util.Map;

/**
 * How a {@link Trainer} run went.
 *
 * @param steps optimisation steps taken
 * @param epochs epochs in which at least one step ran
 * @param stoppedEarly whether early stopping ended the run
 * @param bestStep the step of the best validation (0 if none ran)
 * @param bestMetrics the metrics of that validation (empty if none)
 * @param trainLosses the loss of every step, in order
 * @param validations step and metrics of every validation, in order
 * @param seconds wall-clock training time
 * @param targetTokens real target tokens processed
 */
public record TrainingSummary(long steps, int epochs, boolean stoppedEarly, long bestStep, Map<String, Double> bestMetrics,
    List<Double> trainLosses, List<Map.Entry<Long, Map<String, Double>>> validations, double seconds, long targetTokens) {
  /** Target tokens per second over the run. */
  public double tokensPerSecond() {
    return seconds == 0 ? 0 : targetTokens / seconds;
  }
}
