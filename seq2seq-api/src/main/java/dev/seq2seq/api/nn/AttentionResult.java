package dev.seq2seq.api.nn;

import dev.seq2seq.api.tensor.Tensor;

/**
 * What an {@link Attention} returns: the context vectors and the attention weights that made them.
 *
 * @param context {@code [batch, queries, valueSize]}: per query, the weighted sum of the values
 * @param weights {@code [batch, queries, keys]}: non-negative, each row sums to 1 over unmasked keys
 *     (averaged over heads for multi-head attention); returned so alignments can be plotted
 */
public record AttentionResult(Tensor context, Tensor weights) {}
