package dev.seq2seq.api.nn;

import dev.seq2seq.api.tensor.Tensor;

/**
 * The result of one decoding step.
 *
 * @param logits {@code [batch, targetVocab]}: unnormalised scores of the next token
 * @param attention {@code [batch, sourceLength]}: where the step looked, or {@code null} for a
 *     model without attention
 * @param state the state to pass to the next step
 */
public record DecoderStep(Tensor logits, Tensor attention, DecoderState state) {}
