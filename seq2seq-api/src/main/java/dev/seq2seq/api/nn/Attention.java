package dev.seq2seq.api.nn;

import dev.seq2seq.api.tensor.Tensor;

/**
 * An attention function: {@code (query, keys, values, mask) -> (context, weights)}, with
 * {@code weights = softmax(score(query, keys))} over the key axis and
 * {@code context = weights @ values}.
 *
 * <p>Shapes: {@code query [batch, queries, querySize]} (an RNN decoder step has one query),
 * {@code keys [batch, keys, keySize]}, {@code values [batch, keys, valueSize]}. The mask is
 * {@code null} or broadcastable to {@code [batch, queries, keys]} in the query's dtype, 1 where a
 * key may be attended and 0 where not (padding, or the future under a causal mask); masked keys
 * get exactly zero weight.
 */
public interface Attention {
  /**
   * Attends.
   *
   * @throws IllegalArgumentException naming the expected and actual shapes on a mismatch
   */
  AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask);
}
