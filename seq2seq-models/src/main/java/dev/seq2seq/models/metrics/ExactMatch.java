package dev.seq2seq.models.metrics;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * The fraction of sequences predicted exactly, accumulated over batches. A padded row matches when
 * every unmasked position matches (padding is ignored); token lists match when {@code equals}.
 * Not thread-safe.
 */
public final class ExactMatch {
  private long matched;
  private long total;

  /** Exact-match rate of token lists (e.g. decoded hypotheses vs references). */
  public static <T> double of(List<? extends List<T>> hypotheses, List<? extends List<T>> references) {
    return new ExactMatch().update(hypotheses, references).value();
  }

  /** Exact-match rate of the rows of a batch. */
  public static double of(Tensor predictions, Tensor targets, Tensor mask) {
    return new ExactMatch().update(predictions, targets, mask).value();
  }

  /** Adds pairs of token lists. */
  public <T> ExactMatch update(List<? extends List<T>> hypotheses, List<? extends List<T>> references) {
    checkArgument(hypotheses.size() == references.size(),
        "exact match: %s hypotheses but %s references", hypotheses.size(), references.size());
    for (int i = 0; i < hypotheses.size(); i++) {
      total++;
      if (Objects.equals(hypotheses.get(i), references.get(i))) {
        matched++;
      }
    }
    return this;
  }

  /** Adds the rows of int32 {@code [batch, length]} predictions and targets under a mask of that shape. */
  public ExactMatch update(Tensor predictions, Tensor targets, Tensor mask) {
    checkArgument(predictions.dtype() == DType.INT32 && targets.dtype() == DType.INT32,
        "exact match: predictions (%s) and targets (%s) must be int32", predictions.dtype(), targets.dtype());
    checkArgument(predictions.rank() == 2 && predictions.shape().equals(targets.shape())
            && targets.shape().equals(mask.shape()),
        "exact match: predictions %s, targets %s and mask %s must all be [batch, length]",
        predictions.shape(), targets.shape(), mask.shape());
    int rows = predictions.dim(0);
    int width = predictions.dim(1);
    int[] p = predictions.toIntArray();
    int[] t = targets.toIntArray();
    double[] m = mask.toDoubleArray();
    for (int r = 0; r < rows; r++) {
      boolean same = true;
      for (int j = r * width; j < (r + 1) * width && same; j++) {
        same = m[j] == 0 || p[j] == t[j];
      }
      total++;
      if (same) {
        matched++;
      }
    }
    return this;
  }

  /** Sequences matched. */
  public long matched() {
    return matched;
  }

  /** Sequences counted. */
  public long total() {
    return total;
  }

  /**
   * {@code matched / total}.
   *
   * @throws IllegalStateException if nothing was added
   */
  public double value() {
    checkState(total > 0, "exact match: no sequences to score");
    return (double) matched / total;
  }
}
