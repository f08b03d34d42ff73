package dev.seq2seq.models.attention;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.tensor.Tensor;

/**
 * Scaled dot-product attention (Vaswani et al., "Attention Is All You Need", NeurIPS 2017):
 *
 * <pre>  weights = softmax(Q K^T / sqrt(d_k))      context = weights V</pre>
 *
 * <p>with {@code Q [batch, queries, d_k]}, {@code K [batch, keys, d_k]}, {@code V [batch, keys,
 * d_v]}. It has no parameters. The mask is applied as described in {@link Masks#softmax}: masked
 * keys get exactly zero weight; a query with every key masked gets zero weights and a zero context.
 */
public final class ScaledDotProductAttention extends Module implements Attention {
  private static final String NAME = "ScaledDotProductAttention";

  /** The (stateless) attention. */
  public ScaledDotProductAttention() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the ranks, batch sizes, key counts or the query and key
   *     sizes differ from the contract, or the mask does not broadcast to {@code [batch, queries, keys]}
   */
  @Override
  public AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask) {
    AttentionShapes.check(NAME, query, keys, values, mask, AttentionShapes.ANY, AttentionShapes.ANY, AttentionShapes.ANY);
    if (query.dim(2) != keys.dim(2)) {
      throw new IllegalArgumentException(String.format(
          "%s: query %s and keys %s must have the same size d_k on their last axis (%d vs %d)",
          NAME, query.shape(), keys.shape(), query.dim(2), keys.dim(2)));
    }
    Tensor weights = weights(query, keys, mask);
    return new AttentionResult(weights.matmul(values), weights);
  }

  /**
   * {@code softmax(Q K^T / sqrt(d_k))} under {@code mask} for any matching leading axes:
   * {@code q [..., Tq, d]}, {@code k [..., S, d]}, mask broadcastable to {@code [..., Tq, S]}.
   */
  static Tensor weights(Tensor q, Tensor k, Tensor mask) {
    Tensor scores = q.matmul(k, false, true).div(Math.sqrt(q.dim(-1)));
    return Masks.softmax(scores, mask);
  }
}
