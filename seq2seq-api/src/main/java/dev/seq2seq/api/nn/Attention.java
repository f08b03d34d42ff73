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
 *
 * <p>A decoder that attends to the same keys at every step (an RNN decoder over the encoder
 * memory) calls {@link #prepareKeys} once per memory and {@link #attendPrepared} at every step, so
 * that an attention whose score has a key-side part that does not depend on the query (Bahdanau's
 * {@code U k + b}) computes it once instead of once per step. The defaults prepare nothing and
 * attend with the raw keys, so an attention that overrides neither works unchanged. The contract
 * of an override: {@code attendPrepared(q, prepareKeys(k), v, m)} equals {@code attend(q, k, v, m)}
 * (same numbers within the dtype's tolerance, and the same gradients).
 */
public interface Attention {
  /**
   * Attends.
   *
   * @throws IllegalArgumentException naming the expected and actual shapes on a mismatch
   */
  AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask);

  /**
   * Computes the part of the score that depends on the keys alone, for use by
   * {@link #attendPrepared} at every step that attends to these keys. By default nothing is
   * precomputed ({@link PreparedKeys#unchanged}).
   *
   * @param keys {@code [batch, keys, keySize]}
   * @throws IllegalArgumentException naming the expected and actual shapes on a mismatch
   */
  default PreparedKeys prepareKeys(Tensor keys) {
    return PreparedKeys.unchanged(this, keys);
  }

  /**
   * {@link #attend} with keys made ready by {@link #prepareKeys}: the same result as
   * {@code attend(query, keys.raw(), values, mask)}. Keys prepared by another attention are used
   * raw (same result, nothing saved). By default this is {@code attend} on the raw keys.
   *
   * @throws IllegalArgumentException naming the expected and actual shapes on a mismatch
   */
  default AttentionResult attendPrepared(Tensor query, PreparedKeys keys, Tensor values, Tensor mask) {
    if (keys == null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": prepared keys must not be null");
    }
    return attend(query, keys.raw(), values, mask);
  }
}
