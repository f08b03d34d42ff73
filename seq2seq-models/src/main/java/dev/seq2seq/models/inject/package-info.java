/**
 * Dagger wiring: cells and attentions registered by name through map multibindings
 * ({@link dev.seq2seq.models.inject.CellType}, {@link dev.seq2seq.models.inject.AttentionType}),
 * the backend bound by a backend jar's module or by {@link dev.seq2seq.models.inject.SwitchedBackend},
 * and factories assembling models from configs: {@link dev.seq2seq.models.inject.RnnSeq2SeqFactory}
 * ({@link dev.seq2seq.models.inject.RnnModelConfig}) and
 * {@link dev.seq2seq.models.inject.TransformerSeq2SeqFactory}
 * ({@link dev.seq2seq.models.inject.TransformerModelConfig}).
 */
package dev.seq2seq.models.inject;
