package dev.seq2seq.models.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;

/**
 * The padding of a batch {@code [B, T, ...]}: per-step masks and the reversal of each sequence
 * within its own length ({@code t -> len_b - 1 - t} for {@code t < len_b}, padding left in place).
 *
 * <p>Everything is computed with tensor operations from a {@code [B, T]} mask (1 on real steps,
 * padding at the end), never by reading values back, so a layer over time can run inside a
 * compiled step. Host-side lengths, when the caller has them, only let unpadded steps skip the
 * masking.
 */
final class Sequences {
  private final Tensor input;
  private final int batch;
  private final int time;
  private final Tensor mask;
  private final int[] lengths;
  private final Tensor[] masks;
  private Tensor reverseIndex;
  private Tensor lastStepIndex;
  private Tensor lengthTensor;

  /**
   * @param mask {@code [B, T]} in the input's dtype, or null when every sequence is {@code T} long
   * @param lengths the same lengths on the host, or null when unknown
   */
  private Sequences(Tensor input, Tensor mask, int[] lengths) {
    this.input = input;
    this.batch = input.dim(0);
    this.time = input.dim(1);
    this.mask = mask;
    this.lengths = lengths;
    this.masks = new Tensor[time];
  }

  /** From host lengths (each in {@code [1, T]}), or all full when {@code lengths} is null. */
  static Sequences ofLengths(Tensor input, int[] lengths) {
    if (lengths == null) {
      return new Sequences(input, null, null);
    }
    int batch = input.dim(0);
    int time = input.dim(1);
    checkArgument(lengths.length == batch, "recurrent layer: %s lengths for a batch of %s", lengths.length, batch);
    double[] m = new double[batch * time];
    for (int b = 0; b < batch; b++) {
      checkArgument(lengths[b] >= 1 && lengths[b] <= time,
          "recurrent layer: length %s of sequence %s outside [1, %s] (input %s)", lengths[b], b, time, input.shape());
      for (int t = 0; t < lengths[b]; t++) {
        m[b * time + t] = 1;
      }
    }
    return new Sequences(input, Tensors.of(input.backend(), input.dtype(), m, Shape.of(batch, time)), lengths.clone());
  }

  /** From a {@code [B, T]} mask tensor (any numeric dtype, 1 on real steps, padding at the end). */
  static Sequences ofMask(Tensor input, Tensor mask) {
    checkArgument(mask.rank() == 2 && mask.dim(0) == input.dim(0) && mask.dim(1) == input.dim(1),
        "recurrent layer: mask %s, expected [batch, time] = [%s, %s]", mask.shape(), input.dim(0), input.dim(1));
    return new Sequences(input, mask.cast(input.dtype()), null);
  }

  int time() {
    return time;
  }

  /** Whether some sequence may already be over at step {@code t}. */
  boolean isPadded(int t) {
    if (mask == null) {
      return false;
    }
    if (lengths == null) {
      return true;
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
      masks[t] = mask == null ? Tensors.ones(input.backend(), input.dtype(), Shape.of(batch, 1)) : mask.sliceAxis(1, t, 1);
    }
    return masks[t];
  }

  /**
   * Whether the padding is known only as a tensor (no host lengths), so that any step may be padded:
   * then a layer steps every sequence through all {@code T} steps and takes each final state from
   * its last real step ({@link #lastStepIndex}) instead of masking the state at every step.
   */
  boolean paddingOnlyAsTensor() {
    return mask != null && lengths == null;
  }

  /** {@code [B, T, 1]}: 1 on real steps, 0 on padding (requires a mask). */
  Tensor stepMask() {
    return mask.reshape(batch, time, 1);
  }

  /**
   * Flat row indices {@code b * T + max(len_b - 1, 0)} of {@code [B * T, ...]}: each sequence's last
   * real step (step 0 when it has none), built with int32 tensor ops (requires a mask).
   */
  Tensor lastStepIndex() {
    if (lastStepIndex == null) {
      Tensor len = lengths();
      Tensor zero = Tensors.scalar(input.backend(), DType.INT32, 0);
      Tensor last = Tensor.where(zero.lt(len), len.sub(Tensors.scalar(input.backend(), DType.INT32, 1)), zero);
      lastStepIndex = last.add(rowStarts()).reshape(batch);
    }
    return lastStepIndex;
  }

  /** {@code [B, 1]} int32: each sequence's length, from the mask ({@code T} without one). */
  private Tensor lengths() {
    if (lengthTensor == null) {
      lengthTensor = mask == null
          ? Tensors.full(input.backend(), DType.INT32, Shape.of(batch, 1), time)
          : mask.sum(new int[] {1}, true).cast(DType.INT32);
    }
    return lengthTensor;
  }

  /** {@code [B, 1]} int32: {@code b * T}, the flat row of each sequence's first step in {@code [B * T, ...]}. */
  private Tensor rowStarts() {
    int[] starts = new int[batch];
    for (int b = 0; b < batch; b++) {
      starts[b] = b * time;
    }
    return Tensors.of(input.backend(), starts, batch, 1);
  }

  /** A scalar zero in the input's dtype. */
  Tensor zero() {
    return Tensors.zeros(input.backend(), input.dtype(), Shape.scalar());
  }

  /** {@code x [B, T, F]} with each sequence reversed within its length (its own inverse). */
  Tensor reverse(Tensor x) {
    if (reverseIndex == null) {
      reverseIndex = reverseIndex();
    }
    int features = x.dim(2);
    return x.reshape(batch * time, features).gather(reverseIndex, 0).reshape(batch, time, features);
  }

  /** Flat row indices {@code b * T + (t < len_b ? len_b - 1 - t : t)}, built with int32 tensor ops. */
  private Tensor reverseIndex() {
    int[] steps = new int[time];
    for (int t = 0; t < time; t++) {
      steps[t] = t;
    }
    Tensor t = Tensors.of(input.backend(), steps, 1, time);
    Tensor len = lengths();
    Tensor reversed = len.sub(Tensors.scalar(input.backend(), DType.INT32, 1)).sub(t);
    Tensor index = Tensor.where(t.lt(len), reversed, t);
    return index.add(rowStarts()).reshape(batch * time);
  }
}
