package dev.seq2seq.models.seq2seq;

import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding state of an {@link RnnSeq2Seq}: the encoder memory and its mask, the recurrent state
 * of every decoder layer, and (Luong style) the previous attentional vector.
 *
 * @param memory encoder outputs {@code [batch, sourceLength, keySize]}
 * @param memoryMask {@code [batch, 1, sourceLength]}, 1 on real source tokens
 * @param layers one state per decoder layer, bottom first
 * @param attentional {@code h~_{t-1}} {@code [batch, hidden]} for Luong input feeding, else null
 */
record RnnDecoderState(Tensor memory, Tensor memoryMask, List<CellState> layers, Tensor attentional)
    implements DecoderState {
  @Override
  public int batchSize() {
    return memory.dim(0);
  }

  @Override
  public DecoderState select(Tensor rows) {
    List<CellState> picked = new ArrayList<>(layers.size());
    for (CellState s : layers) {
      List<Tensor> parts = new ArrayList<>(s.size());
      s.parts().forEach(p -> parts.add(p.gather(rows, 0)));
      picked.add(CellState.of(parts));
    }
    return new RnnDecoderState(memory.gather(rows, 0), memoryMask.gather(rows, 0), picked,
        attentional == null ? null : attentional.gather(rows, 0));
  }
}
