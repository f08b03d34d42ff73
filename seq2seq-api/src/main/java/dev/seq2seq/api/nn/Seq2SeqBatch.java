package dev.seq2seq.api.nn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * A padded batch of source/target pairs prepared for teacher forcing.
 *
 * <p>{@code targetInput} is {@code <sos> y_1 ... y_{n-1}} and {@code targetOutput} is
 * {@code y_1 ... y_n <eos>}: at step {@code t} the decoder reads {@code targetInput[t]} and is
 * trained to predict {@code targetOutput[t]}. Masks are 1 on real tokens and 0 on padding, in the
 * floating dtype the model computes in.
 *
 * @param source int32 {@code [batch, sourceLength]}
 * @param sourceMask {@code [batch, sourceLength]}
 * @param targetInput int32 {@code [batch, targetLength]}
 * @param targetOutput int32 {@code [batch, targetLength]}
 * @param targetMask {@code [batch, targetLength]}
 */
public record Seq2SeqBatch(Tensor source, Tensor sourceMask, Tensor targetInput, Tensor targetOutput, Tensor targetMask) {
  /** Checks dtypes and that the shapes agree. */
  public Seq2SeqBatch {
    checkArgument(source.dtype() == DType.INT32 && targetInput.dtype() == DType.INT32 && targetOutput.dtype() == DType.INT32,
        "batch: token ids must be int32");
    checkArgument(source.rank() == 2 && source.shape().equals(sourceMask.shape()),
        "batch: source %s and source mask %s must both be [batch, sourceLength]", source.shape(), sourceMask.shape());
    checkArgument(targetInput.rank() == 2 && targetInput.shape().equals(targetOutput.shape())
            && targetInput.shape().equals(targetMask.shape()),
        "batch: target input %s, output %s and mask %s must all be [batch, targetLength]",
        targetInput.shape(), targetOutput.shape(), targetMask.shape());
    checkArgument(source.dim(0) == targetInput.dim(0),
        "batch: source has %s sequences but target has %s", source.dim(0), targetInput.dim(0));
  }

  /** Number of pairs. */
  public int size() {
    return source.dim(0);
  }
}
