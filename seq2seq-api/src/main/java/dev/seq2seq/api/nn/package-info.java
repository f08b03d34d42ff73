/**
 * Contracts of model parts that users implement and the models module composes:
 * {@link dev.seq2seq.api.nn.Cell} (one recurrent time step),
 * {@link dev.seq2seq.api.nn.Attention} ({@code (query, keys, values, mask) -> (context, weights)}, with
 * {@link dev.seq2seq.api.nn.PreparedKeys} for keys attended to at every decoder step) and
 * {@link dev.seq2seq.api.nn.Seq2Seq} (teacher-forced logits, and encode-once / step-by-step decoding
 * through {@link dev.seq2seq.api.nn.DecoderState}).
 */
package dev.seq2seq.api.nn;
