package dev.seq2seq.models.seq2seq;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.PreparedKeys;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding state of an {@link RnnSeq2Seq}: the encoder memory, the memory's keys as prepared
 * once by the attention, the memory's mask, the recurrent state of every decoder layer, and (Luong
 * style) the previous attentional vector.
 *
 * @param memory encoder outputs {@code [batch, sourceLength, keySize]}: the attention's values
 * @param memoryKeys the memory prepared as keys by the decoder's attention
 *     ({@link dev.seq2seq.api.nn.Attention#prepareKeys}, whose raw keys are {@code memory} itself), or
 *     null without attention
 * @param memoryMask {@code [batch, 1, sourceLength]}, 1 on real source tokens
 * @param layers one state per decoder layer, bottom first
 * @param attentional {@code h~_{t-1}} {@code [batch, hidden]} for Luong input feeding, else null
 */
record RnnDecoderState(Tensor memory, PreparedKeys memoryKeys, Tensor memoryMask, List<CellState> layers,
    Tensor attentional) implements DecoderState {
  RnnDecoderState {
    checkArgument(memoryKeys == null || memoryKeys.raw() == memory,
        "rnn decoder state: the prepared keys must be the memory's own");
  }

  @Override
  public int batchSize() {
    return memory.dim(0);
  }

  /** Selects every row-wise part alike: the memory, its prepared keys (both sides), the mask and the layers. */
  @Override
  public DecoderState select(Tensor rows) {
    List<CellState> picked = new ArrayList<>(layers.size());
    for (CellState s : layers) {
      List<Tensor> parts = new ArrayList<>(s.size());
      s.parts().forEach(p -> parts.add(p.gather(rows, 0)));
      picked.add(CellState.of(parts));
    }
    PreparedKeys keys = memoryKeys == null ? null : memoryKeys.select(rows);
    Tensor selectedMemory = keys == null ? memory.gather(rows, 0) : keys.raw();
    return new RnnDecoderState(selectedMemory, keys, memoryMask.gather(rows, 0), picked,
        attentional == null ? null : attentional.gather(rows, 0));
  }
}
