package dev.seq2seq.api.nn;

import dev.seq2seq.api.tensor.Tensor;

/**
 * Everything a {@link Seq2Seq} decoder carries from one step to the next for a batch of
 * hypotheses: the encoder's memory, the recurrent state or decoded prefix, attention inputs.
 *
 * <p>Immutable. Beam search reorders and replicates hypotheses with {@link #select}.
 */
public interface DecoderState {
  /** Number of hypotheses (rows) in this state. */
  int batchSize();

  /**
   * The state of the hypotheses at {@code rows} (int32 {@code [n]}, each in {@code [0, batchSize)}),
   * in that order; rows may repeat (beam expansion).
   */
  DecoderState select(Tensor rows);
}
