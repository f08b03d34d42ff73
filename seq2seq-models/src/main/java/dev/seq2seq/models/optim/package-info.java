/**
 * Optimizers ({@link dev.seq2seq.models.optim.Sgd}, {@link dev.seq2seq.models.optim.Adam} and AdamW)
 * with tensor-slot state, global-norm clipping and learning-rate schedules.
 */
package dev.seq2seq.models.optim;
