package dev.seq2seq.models.attention;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.layers.Linear;

/**
 * Multi-head attention (Vaswani et al., "Attention Is All You Need", NeurIPS 2017), PyTorch's
 * {@code nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)} with the same parameters:
 *
 * <pre>  head_i = Attention(Q W_i^Q + b_i^Q, K W_i^K + b_i^K, V W_i^V + b_i^V)
 *  MultiHead(Q, K, V) = concat(head_1, ..., head_h) W^O + b^O
 *  Attention(q, k, v) = softmax(q k^T / sqrt(d_head)) v,   d_head = embed_dim / num_heads</pre>
 *
 * <p>Parameters, named and laid out exactly as PyTorch's so that a {@code state_dict} maps one to
 * one:
 *
 * <ul>
 *   <li>{@code in_proj_weight [3E, E]}: the query, key and value projections stacked in that order,
 *       each {@code [E, E]} applied as {@code x W^T}; head {@code i} uses rows
 *       {@code i*d_head .. (i+1)*d_head - 1} of each block
 *   <li>{@code in_proj_bias [3E]}
 *   <li>{@code out_proj.weight [E, E]} and {@code out_proj.bias [E]} (the child {@link Linear} {@code out_proj})
 * </ul>
 *
 * <p>Initialisation follows PyTorch, drawn from the given {@link Rng} (so the numbers differ from
 * PyTorch's, the distributions do not): {@code in_proj_weight} Xavier-uniform
 * {@code U(-a, a)}, {@code a = sqrt(6 / (E + 3E))}; {@code out_proj.weight} PyTorch {@code nn.Linear}'s
 * default {@code U(-1/sqrt(E), 1/sqrt(E))}; both biases zero.
 *
 * <p>Inputs are batch-first: {@code query [B, Tq, E]}, {@code keys [B, S, E]}, {@code values [B, S,
 * E]} (PyTorch's default {@code kdim = vdim = embed_dim}; separate key/value sizes are not
 * supported). The mask broadcasts to {@code [B, Tq, S]} and applies to every head; it is the
 * complement of PyTorch's boolean {@code key_padding_mask} / {@code attn_mask} (which are
 * {@code True} where attention is <em>not</em> allowed). The returned weights are averaged over
 * heads, as PyTorch's {@code average_attn_weights=True}. There is no dropout on the attention
 * weights (PyTorch's {@code dropout=0}). A query whose keys are all masked gets zero weights in
 * every head, so its output is {@code out_proj.bias} (PyTorch returns NaN there).
 */
public final class MultiHeadAttention extends Module implements Attention {
  private static final String NAME = "MultiHeadAttention";

  private final int embedDim;
  private final int numHeads;
  private final Parameter inProjWeight;
  private final Parameter inProjBias;
  private final Linear outProj;

  /**
   * An attention over {@code embedDim}-vectors with {@code numHeads} heads, initialised from {@code rng}.
   *
   * @throws IllegalArgumentException if a size is not positive or {@code numHeads} does not divide {@code embedDim}
   */
  public MultiHeadAttention(Backend backend, DType dtype, int embedDim, int numHeads, Rng rng) {
    checkArgument(embedDim > 0 && numHeads > 0, "%s: sizes must be positive, got embedDim=%s numHeads=%s", NAME, embedDim, numHeads);
    checkArgument(embedDim % numHeads == 0, "%s: embedDim %s must be divisible by numHeads %s", NAME, embedDim, numHeads);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    double xavier = Math.sqrt(6.0 / (embedDim + 3.0 * embedDim));
    this.inProjWeight = registerParameter("in_proj_weight",
        new Parameter(Tensors.uniform(backend, dtype, Shape.of(3 * embedDim, embedDim), rng, -xavier, xavier)));
    this.inProjBias = registerParameter("in_proj_bias", new Parameter(Tensors.zeros(backend, dtype, Shape.of(3 * embedDim))));
    this.outProj = registerModule("out_proj", outProjection(backend, dtype, embedDim, rng));
  }

  /**
   * PyTorch's {@code out_proj}: an {@code nn.Linear} whose weight is drawn as {@code nn.Linear}'s
   * default {@code U(-1/sqrt(E), 1/sqrt(E))} and whose bias starts at zero. Exactly the weight's
   * {@code E * E} draws are taken from {@code rng} (none for the bias), so that the stream left for
   * whatever the caller builds next does not depend on how {@link Linear} initialises its bias.
   */
  private static Linear outProjection(Backend backend, DType dtype, int e, Rng rng) {
    double k = 1.0 / Math.sqrt(e);
    return new Linear(Tensors.uniform(backend, dtype, Shape.of(e, e), rng, -k, k), Tensors.zeros(backend, dtype, Shape.of(e)));
  }

  /**
   * {@inheritDoc}
   *
   * @return context {@code [B, Tq, E]} and weights {@code [B, Tq, S]} averaged over heads
   * @throws IllegalArgumentException if the query is not {@code [batch, queries, E]}, the keys not
   *     {@code [batch, keys, E]}, the values not {@code [batch, keys, E]}, or the mask does not
   *     broadcast to {@code [batch, queries, keys]}
   */
  @Override
  public AttentionResult attend(Tensor query, Tensor keys, Tensor values, Tensor mask) {
    AttentionShapes.check(NAME, query, keys, values, mask, embedDim, embedDim, embedDim);
    Tensor[] kv = projectKeysAndValues(keys, values);
    return attendProjected(query, kv[0], kv[1], mask);
  }

  /**
   * The keys and values projected and split into heads, {@code [B, H, S, E / H]} each — what
   * {@link #attend} computes from them, for callers that cache it (the encoder memory of
   * cross-attention, or the prefix of incremental self-attention, extended along axis 2).
   *
   * @param keys {@code [B, S, E]}
   * @param values {@code [B, S, E]}
   */
  public Tensor[] projectKeysAndValues(Tensor keys, Tensor values) {
    checkArgument(keys.rank() == 3 && keys.dim(2) == embedDim && keys.shape().equals(values.shape()),
        "%s: keys %s and values %s must both be [batch, keys, %s]", NAME, keys.shape(), values.shape(), embedDim);
    int e = embedDim;
    Tensor w = inProjWeight.value();
    Tensor b = inProjBias.value();
    Tensor k = heads(affine(keys, w.sliceAxis(0, e, e), b.sliceAxis(0, e, e)));  // [B, H, S, d]
    Tensor v = heads(affine(values, w.sliceAxis(0, 2 * e, e), b.sliceAxis(0, 2 * e, e)));  // [B, H, S, d]
    return new Tensor[] {k, v};
  }

  /**
   * {@link #attend} with keys and values already projected by {@link #projectKeysAndValues}
   * (possibly concatenated along the key axis): the same result as {@code attend} on the raw ones.
   *
   * @param query {@code [B, Tq, E]}
   * @param keyHeads {@code [B, H, S, E / H]}
   * @param valueHeads {@code [B, H, S, E / H]}
   * @param mask {@code null} or broadcastable to {@code [B, Tq, S]}
   */
  public AttentionResult attendProjected(Tensor query, Tensor keyHeads, Tensor valueHeads, Tensor mask) {
    checkArgument(query.rank() == 3 && query.dim(2) == embedDim,
        "%s: query %s must be [batch, queries, %s]", NAME, query.shape(), embedDim);
    checkArgument(keyHeads.rank() == 4 && keyHeads.shape().equals(valueHeads.shape()) && keyHeads.dim(0) == query.dim(0)
            && keyHeads.dim(1) == numHeads && keyHeads.dim(3) == embedDim / numHeads,
        "%s: projected keys %s and values %s must both be [%s, %s, keys, %s]", NAME, keyHeads.shape(), valueHeads.shape(),
        query.dim(0), numHeads, embedDim / numHeads);
    int e = embedDim;
    Tensor w = inProjWeight.value();
    Tensor b = inProjBias.value();
    Tensor q = heads(affine(query, w.sliceAxis(0, 0, e), b.sliceAxis(0, 0, e)));  // [B, H, Tq, d]
    Tensor k = keyHeads;
    Tensor v = valueHeads;
    Tensor headMask = mask == null ? null : AttentionShapes.rank3(mask).unsqueeze(1);  // [B|1, 1, Tq|1, S|1]
    Tensor weights = ScaledDotProductAttention.weights(q, k, headMask);  // [B, H, Tq, S]
    Tensor context = weights.matmul(v).permute(0, 2, 1, 3).reshape(query.dim(0), query.dim(1), e);  // [B, Tq, E]
    return new AttentionResult(outProj.forward(context), weights.mean(new int[] {1}, false));
  }

  /** {@code x W^T + b} over the last axis, for one block of the stacked input projection. */
  private static Tensor affine(Tensor x, Tensor w, Tensor b) {
    return x.matmul(w, false, true).add(b);
  }

  /** {@code [B, T, E] -> [B, H, T, E / H]}. */
  private Tensor heads(Tensor x) {
    return x.reshape(x.dim(0), x.dim(1), numHeads, embedDim / numHeads).permute(0, 2, 1, 3);
  }

  /** The model size {@code E}. */
  public int embedDim() {
    return embedDim;
  }

  /** The number of heads {@code H}. */
  public int numHeads() {
    return numHeads;
  }
}
