package dev.seq2seq.api.nn;

import dev.seq2seq.api.tensor.Tensor;

/**
 * A sequence-to-sequence model: an encoder read once, then a decoder stepped token by token.
 *
 * <p>Training uses teacher forcing: {@link #logits} runs the decoder over the whole gold
 * {@code targetInput} at once (or step by step internally) and returns {@code [batch, targetLength,
 * targetVocab]}. Decoding algorithms (greedy, beam search, sampling) use only {@link #encode} and
 * {@link #step}, so they work for every model. Token ids are int32; masks are 1 on real tokens.
 */
public interface Seq2Seq {
  /** Size of the output vocabulary (the last axis of the logits). */
  int targetVocabSize();

  /** Teacher-forced logits {@code [batch, targetLength, targetVocab]} for a batch. */
  Tensor logits(Seq2SeqBatch batch);

  /**
   * Encodes a batch of sources once.
   *
   * @param source int32 {@code [batch, sourceLength]}
   * @param sourceMask {@code [batch, sourceLength]}, 1 on real tokens
   * @return the state before the first decoder step
   */
  DecoderState encode(Tensor source, Tensor sourceMask);

  /**
   * Advances the decoder by one token.
   *
   * @param previousTokens int32 {@code [batch]}: {@code <sos>} at the first step, then the
   *     previous output
   */
  DecoderStep step(Tensor previousTokens, DecoderState state);
}
