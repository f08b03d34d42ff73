package dev.seq2seq.models.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * The lengths of a padded batch {@code [B, T, ...]}: per-step masks and the reversal of each
 * sequence within its own length ({@code t -> lengths[b] - 1 - t} for {@code t < lengths[b]},
 * padding left in place).
 */
final class Sequences {
  private final Tensor input;
  private final int batch;
  private final int time;
  private final int[] lengths;
  private final Tensor[] masks;
  private Tensor reverseIndex;

  Sequences(Tensor input, int[] lengths) {
    this.input = input;
    this.batch = input.dim(0);
    this.time = input.dim(1);
    this.lengths = lengths == null ? null : lengths.clone();
    this.masks = new Tensor[time];
    if (lengths != null) {
      checkArgument(lengths.length == batch, "recurrent layer: %s lengths for a batch of %s", lengths.length, batch);
      for (int b = 0; b < batch; b++) {
        checkArgument(lengths[b] >= 1 && lengths[b] <= time,
            "recurrent layer: length %s of sequence %s outside [1, %s] (input %s)", lengths[b], b, time, input.shape());
      }
    }
  }

  int time() {
    return time;
  }

  /** Whether some sequence is already over at step {@code t}. */
  boolean isPadded(int t) {
    if (lengths == null) {
      return false;
    }
    for (int len : lengths) {
      if (t >= len) {
        return true;
      }
    }
    return false;
  }

  /** {@code [B, 1]}: 1 where step {@code t} is real, else 0, in the input's dtype. */
  Tensor mask(int t) {
    if (masks[t] == null) {
      double[] m = new double[batch];
      for (int b = 0; b < batch; b++) {
        m[b] = lengths == null || t < lengths[b] ? 1 : 0;
      }
      masks[t] = Tensors.of(input.backend(), input.dtype(), m, Shape.of(batch, 1));
    }
    return masks[t];
  }

  /** A scalar zero in the input's dtype. */
  Tensor zero() {
    return Tensors.zeros(input.backend(), input.dtype(), Shape.scalar());
  }

  /** {@code x [B, T, F]} with each sequence reversed within its length (its own inverse). */
  Tensor reverse(Tensor x) {
    if (reverseIndex == null) {
      int[] idx = new int[batch * time];
      for (int b = 0; b < batch; b++) {
        int len = lengths == null ? time : lengths[b];
        for (int t = 0; t < time; t++) {
          idx[b * time + t] = b * time + (t < len ? len - 1 - t : t);
        }
      }
      reverseIndex = Tensors.of(input.backend(), idx, batch * time);
    }
    int features = x.dim(2);
    return x.reshape(batch * time, features).gather(reverseIndex, 0).reshape(batch, time, features);
  }
}
