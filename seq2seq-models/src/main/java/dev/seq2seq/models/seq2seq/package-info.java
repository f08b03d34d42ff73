/**
 * Sequence-to-sequence models built from recurrent cells: {@link dev.seq2seq.models.seq2seq.RnnSeq2Seq}
 * (encoder, bridge, decoder with optional Bahdanau- or Luong-style attention).
 */
package dev.seq2seq.models.seq2seq;
