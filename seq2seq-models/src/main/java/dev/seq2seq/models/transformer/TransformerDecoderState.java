package dev.seq2seq.models.transformer;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * The decoding state of a {@link TransformerSeq2Seq}: the encoder memory, its mask and the tokens
 * decoded so far (the decoder is re-run over the whole prefix at each step).
 *
 * @param memory the encoder output after the final layer norm {@code [batch, sourceLength, d_model]}
 * @param memoryMask {@code [batch, 1, sourceLength]} in the model's dtype, 1 on real source tokens
 * @param prefix int32 {@code [batch, steps]}: the tokens fed so far ({@code <sos>} first), or
 *     {@code null} before the first step
 */
record TransformerDecoderState(Tensor memory, Tensor memoryMask, Tensor prefix) implements DecoderState {
  TransformerDecoderState {
    checkArgument(prefix == null || (prefix.dtype() == DType.INT32 && prefix.rank() == 2 && prefix.dim(0) == memory.dim(0)),
        "transformer state: prefix %s must be int32 [%s, steps]", prefix == null ? null : prefix.shape(), memory.dim(0));
  }

  @Override
  public int batchSize() {
    return memory.dim(0);
  }

  /** The number of tokens fed so far. */
  int steps() {
    return prefix == null ? 0 : prefix.dim(1);
  }

  @Override
  public DecoderState select(Tensor rows) {
    checkArgument(rows.dtype() == DType.INT32 && rows.rank() == 1,
        "transformer state: rows must be int32 [n], got %s %s", rows.dtype().label(), rows.shape());
    return new TransformerDecoderState(memory.gather(rows, 0), memoryMask.gather(rows, 0),
        prefix == null ? null : prefix.gather(rows, 0));
  }
}
