package dev.seq2seq.models.attention;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * Attention masks and the masked softmax that applies them.
 *
 * <p>A mask holds 1 where a key may be attended and 0 where it may not (any nonzero value counts as
 * 1), and broadcasts to the scores {@code [batch, queries, keys]}. Masks combine by multiplication:
 * {@code Masks.padding(...).mul(Masks.causal(...))}.
 *
 * <p>{@link #softmax} replaces masked scores by {@link #MASKED_SCORE} before the softmax, whose
 * exponential then underflows to exactly 0 in float32 and float64, and additionally zeroes masked
 * positions after it. So masked keys get exactly zero weight, and a query whose keys are all masked
 * (e.g. a length-0 sequence) gets all-zero weights and a zero context rather than the NaN of
 * {@code softmax(-inf, ..., -inf)}; its gradients are zero too.
 */
public final class Masks {
  /**
   * The score given to masked keys before the softmax: far below any real score, yet finite, so
   * that a fully masked row stays finite (and its gradient zero) instead of becoming NaN.
   */
  public static final double MASKED_SCORE = -1e9;

  private Masks() {}

  /**
   * A key-padding mask {@code [batch, 1, maxLength]}: 1 at positions {@code < lengths[b]}, 0 after.
   *
   * @throws IllegalArgumentException if a length is negative or exceeds {@code maxLength}
   */
  public static Tensor padding(Backend backend, DType dtype, int[] lengths, int maxLength) {
    checkArgument(lengths.length > 0, "padding mask: no lengths given");
    checkArgument(maxLength > 0, "padding mask: maxLength must be positive, got %s", maxLength);
    double[] m = new double[lengths.length * maxLength];
    for (int b = 0; b < lengths.length; b++) {
      checkArgument(lengths[b] >= 0 && lengths[b] <= maxLength,
          "padding mask: length %s of sequence %s outside [0, %s]", lengths[b], b, maxLength);
      for (int s = 0; s < lengths[b]; s++) {
        m[b * maxLength + s] = 1;
      }
    }
    return Tensors.of(backend, dtype, m, Shape.of(lengths.length, 1, maxLength));
  }

  /**
   * A causal ("look-ahead") mask {@code [1, steps, steps]}: query {@code t} may attend keys
   * {@code 0..t} only (1 on and below the diagonal, 0 above).
   *
   * @throws IllegalArgumentException if {@code steps} is not positive
   */
  public static Tensor causal(Backend backend, DType dtype, int steps) {
    checkArgument(steps > 0, "causal mask: steps must be positive, got %s", steps);
    double[] m = new double[steps * steps];
    for (int t = 0; t < steps; t++) {
      for (int s = 0; s <= t; s++) {
        m[t * steps + s] = 1;
      }
    }
    return Tensors.of(backend, dtype, m, Shape.of(1, steps, steps));
  }

  /**
   * Softmax of {@code scores} over the last axis with masked keys at exactly zero weight.
   *
   * @param scores {@code [..., queries, keys]}
   * @param mask {@code null} (no masking) or broadcastable to {@code scores}, nonzero = attend
   * @return weights of the shape of {@code scores}; rows with every key masked are all zero
   * @throws IllegalArgumentException if the mask does not broadcast to the scores' shape
   */
  public static Tensor softmax(Tensor scores, Tensor mask) {
    if (mask == null) {
      return scores.softmax(-1);
    }
    Shape joined = Shape.broadcast("masked softmax", mask.shape(), scores.shape());
    checkArgument(joined.equals(scores.shape()),
        "masked softmax: mask %s does not broadcast to the scores %s", mask.shape(), scores.shape());
    Tensor masked = Tensor.where(mask, scores, Tensors.scalar(scores.backend(), scores.dtype(), MASKED_SCORE));
    Tensor zero = Tensors.scalar(scores.backend(), scores.dtype(), 0.0);
    return Tensor.where(mask, masked.softmax(-1), zero);
  }
}
