package dev.seq2seq.models.metrics;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * Masked token accuracy, {@code sum_t mask_t [pred_t = target_t] / sum_t mask_t}, accumulated over
 * batches: the corpus value is total correct over total counted tokens (not a mean of batch
 * accuracies, which would over-weight small batches). Mask values other than 0 and 1 weight tokens.
 * Not thread-safe.
 */
public final class TokenAccuracy {
  private double correct;
  private double total;

  /** The accuracy of one batch of ids (e.g. argmax of logits vs the target output). */
  public static double of(Tensor predictions, Tensor targets, Tensor mask) {
    return new TokenAccuracy().update(predictions, targets, mask).value();
  }

  /** The accuracy over flat arrays of equal length. */
  public static double of(int[] predictions, int[] targets, double[] mask) {
    return new TokenAccuracy().update(predictions, targets, mask).value();
  }

  /**
   * Adds a batch: int32 {@code predictions} and {@code targets} of one shape, and a floating
   * {@code mask} of the same shape (1 = count, 0 = padding).
   */
  public TokenAccuracy update(Tensor predictions, Tensor targets, Tensor mask) {
    checkArgument(predictions.dtype() == DType.INT32 && targets.dtype() == DType.INT32,
        "token accuracy: predictions (%s) and targets (%s) must be int32", predictions.dtype(), targets.dtype());
    checkArgument(predictions.shape().equals(targets.shape()) && targets.shape().equals(mask.shape()),
        "token accuracy: predictions %s, targets %s and mask %s must have one shape",
        predictions.shape(), targets.shape(), mask.shape());
    return update(predictions.toIntArray(), targets.toIntArray(), mask.toDoubleArray());
  }

  /** Adds flat arrays of equal length. */
  public TokenAccuracy update(int[] predictions, int[] targets, double[] mask) {
    checkArgument(predictions.length == targets.length && targets.length == mask.length,
        "token accuracy: %s predictions, %s targets and %s mask values must agree",
        predictions.length, targets.length, mask.length);
    for (int i = 0; i < mask.length; i++) {
      checkArgument(mask[i] >= 0, "token accuracy: negative mask value %s at %s", (Object) mask[i], i);
      total += mask[i];
      if (predictions[i] == targets[i]) {
        correct += mask[i];
      }
    }
    return this;
  }

  /** Sum of the mask over correct tokens. */
  public double correct() {
    return correct;
  }

  /** Sum of the mask. */
  public double total() {
    return total;
  }

  /**
   * {@code correct / total}.
   *
   * @throws IllegalStateException if no token was counted (all masked, or nothing added)
   */
  public double value() {
    checkState(total > 0, "token accuracy: no unmasked tokens to score");
    return correct / total;
  }
}
