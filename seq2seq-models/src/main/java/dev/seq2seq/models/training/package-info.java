/**
 * Training: {@link dev.seq2seq.models.training.TrainingStep} (loss under teacher forcing or scheduled
 * sampling, gradients, a finiteness check, clipping, the optimizer update) and
 * {@link dev.seq2seq.models.training.Trainer} (epochs or a step budget, validation, early stopping,
 * listeners for progress and best checkpoints).
 */
package dev.seq2seq.models.training;
