package dev.seq2seq.models.training;

/**
 * Thrown when a training step produces a NaN or infinite loss or gradient. It is raised before the
 * optimizer runs, so the weights still hold the last finite values.
 */
public final class NonFiniteException extends ArithmeticException {
  private final long step;
  private final String culprit;

  /**
   * @param step the 1-based training step
   * @param culprit {@code loss} or the name of the parameter whose gradient is not finite
   * @param value the offending value (the loss, or the gradient's squared norm)
   */
  public NonFiniteException(long step, String culprit, double value) {
    super(String.format("step %d: %s is %s; the update was skipped and the weights are unchanged (lower the learning rate or clip gradients)",
        step, culprit.equals("loss") ? "the loss" : "the gradient of " + culprit, value));
    this.step = step;
    this.culprit = culprit;
  }

  /** The step at which it happened. */
  public long step() {
    return step;
  }

  /** {@code loss} or the parameter name. */
  public String culprit() {
    return culprit;
  }
}
