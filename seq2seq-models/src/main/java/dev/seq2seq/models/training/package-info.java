/**
 * Training: {@link dev.seq2seq.models.training.TrainingStep} (loss under teacher forcing or scheduled
 * sampling, gradients, a finiteness check, clipping, the optimizer update).
 */
package dev.seq2seq.models.training;
