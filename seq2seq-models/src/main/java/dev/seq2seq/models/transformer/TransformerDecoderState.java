package dev.seq2seq.models.transformer;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding state of a {@link TransformerSeq2Seq}: the encoder memory, its mask, the tokens
 * decoded so far, and the decoder's caches (so each step computes one new position only).
 *
 * @param memory the encoder output after the final layer norm {@code [batch, sourceLength, d_model]}
 * @param memoryMask {@code [batch, 1, sourceLength]} in the model's dtype, 1 on real source tokens
 * @param prefix int32 {@code [batch, steps]}: the tokens fed so far ({@code <sos>} first), or
 *     {@code null} before the first step
 * @param memoryKeys per decoder layer, the cross-attention keys of the memory {@code [batch, heads, sourceLength, d_head]}
 * @param memoryValues per decoder layer, the matching values
 * @param selfKeys per decoder layer, the self-attention keys of the prefix {@code [batch, heads, steps, d_head]};
 *     empty before the first step
 * @param selfValues per decoder layer, the matching values
 */
record TransformerDecoderState(Tensor memory, Tensor memoryMask, Tensor prefix, List<Tensor> memoryKeys,
    List<Tensor> memoryValues, List<Tensor> selfKeys, List<Tensor> selfValues) implements DecoderState {
  TransformerDecoderState {
    checkArgument(prefix == null || (prefix.dtype() == DType.INT32 && prefix.rank() == 2 && prefix.dim(0) == memory.dim(0)),
        "transformer state: prefix %s must be int32 [%s, steps]", prefix == null ? null : prefix.shape(), memory.dim(0));
    checkArgument(memoryKeys.size() == memoryValues.size() && selfKeys.size() == selfValues.size()
            && (prefix == null ? selfKeys.isEmpty() : selfKeys.size() == memoryKeys.size()),
        "transformer state: one cache entry per decoder layer");
    memoryKeys = List.copyOf(memoryKeys);
    memoryValues = List.copyOf(memoryValues);
    selfKeys = List.copyOf(selfKeys);
    selfValues = List.copyOf(selfValues);
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
        prefix == null ? null : prefix.gather(rows, 0), gather(memoryKeys, rows), gather(memoryValues, rows),
        gather(selfKeys, rows), gather(selfValues, rows));
  }

  private static List<Tensor> gather(List<Tensor> tensors, Tensor rows) {
    List<Tensor> out = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      out.add(t.gather(rows, 0));
    }
    return out;
  }
}
