package dev.seq2seq.models.loss;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * Token-level cross-entropy that ignores padding, with optional label smoothing.
 *
 * <p>For logits {@code z} of shape {@code [..., V]}, integer targets {@code y} and a 0/1 mask
 * {@code m} of the leading shape, with {@code p = log_softmax(z)}:
 *
 * <pre>
 *   l_i  = -(1 - eps) p_i[y_i]  -  eps / V * sum_v p_i[v]
 *   loss = sum_i m_i l_i / sum_i m_i
 * </pre>
 *
 * so padded positions contribute nothing and the loss is the mean over real tokens. With
 * {@code eps = 0} this is the negative log-likelihood; with {@code eps > 0} it is the smoothed loss of
 * Szegedy et al., "Rethinking the Inception Architecture" (2016), as PyTorch's
 * {@code CrossEntropyLoss(label_smoothing=eps)} defines it. A batch whose mask is all zeros gives 0.
 */
public final class CrossEntropyLoss {
  private final double labelSmoothing;

  /**
   * @param labelSmoothing {@code eps} in {@code [0, 1)}
   */
  public CrossEntropyLoss(double labelSmoothing) {
    checkArgument(labelSmoothing >= 0 && labelSmoothing < 1, "cross-entropy: label smoothing %s outside [0, 1)", labelSmoothing);
    this.labelSmoothing = labelSmoothing;
  }

  /** The plain negative log-likelihood ({@code eps = 0}). */
  public CrossEntropyLoss() {
    this(0);
  }

  /** Mean loss over the unmasked positions: a scalar. */
  public Tensor apply(Tensor logits, Tensor targets, Tensor mask) {
    Tensor perToken = perToken(logits, targets);
    Tensor m = mask.cast(logits.dtype());
    checkArgument(m.shape().equals(perToken.shape()),
        "cross-entropy: mask %s must have the targets' shape %s", mask.shape(), targets.shape());
    Tensor count = m.sum().maximum(Tensors.scalar(logits.backend(), logits.dtype(), 1.0));
    return perToken.mul(m).sum().div(count);
  }

  /** The unreduced losses {@code l_i}, shape of {@code targets}. */
  public Tensor perToken(Tensor logits, Tensor targets) {
    checkArgument(targets.dtype() == DType.INT32, "cross-entropy: targets must be int32 ids, got %s", targets.dtype().label());
    checkArgument(logits.rank() == targets.rank() + 1,
        "cross-entropy: logits %s must be targets %s plus a vocabulary axis", logits.shape(), targets.shape());
    for (int i = 0; i < targets.rank(); i++) {
      checkArgument(logits.dim(i) == targets.dim(i),
          "cross-entropy: logits %s must be targets %s plus a vocabulary axis", logits.shape(), targets.shape());
    }
    int vocab = logits.dim(-1);
    int rows = targets.size();
    Tensor logp = logits.logSoftmax(-1);
    // pick p_i[y_i] from the flattened log-probabilities at i * V + y_i
    int[] offsets = new int[rows];
    for (int i = 0; i < rows; i++) {
      offsets[i] = i * vocab;
    }
    Tensor flatIds = targets.reshape(rows).add(Tensors.of(logits.backend(), offsets, rows));
    Tensor picked = logp.reshape(rows * vocab).gather(flatIds, 0).reshape(targets.shape().toArray());
    Tensor loss = picked.neg();
    if (labelSmoothing > 0) {
      Tensor uniform = logp.mean(new int[] {-1}, false).neg();
      loss = loss.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
    }
    return loss;
  }
}
