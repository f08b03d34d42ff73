/**
 * Dagger wiring: cells and attentions registered by name through map multibindings
 * ({@link dev.seq2seq.models.inject.CellType}, {@link dev.seq2seq.models.inject.AttentionType}),
 * the backend bound by a backend jar's module or by {@link dev.seq2seq.models.inject.SwitchedBackend},
 * and {@link dev.seq2seq.models.inject.RnnSeq2SeqFactory} assembling a model from a
 * {@link dev.seq2seq.models.inject.RnnModelConfig}.
 */
package dev.seq2seq.models.inject;
