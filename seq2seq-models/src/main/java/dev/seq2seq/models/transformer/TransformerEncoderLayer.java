package dev.seq2seq.models.transformer;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.attention.MultiHeadAttention;
import dev.seq2seq.models.layers.Dropout;
import dev.seq2seq.models.layers.LayerNorm;
import dev.seq2seq.models.layers.Linear;

/**
 * One encoder layer of the Transformer (Vaswani et al., "Attention Is All You Need", NeurIPS 2017,
 * section 3.1), PyTorch's {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward,
 * dropout, activation="relu", batch_first=True, norm_first)} with the same parameters and semantics:
 *
 * <pre>  SA(x)  = dropout1(self_attn(x, x, x, mask))
 *  FF(x)  = dropout2(linear2(dropout(relu(linear1(x)))))
 *
 *  post-LN (norm_first = false, the paper and PyTorch's default):
 *    x = norm1(x + SA(x));         y = norm2(x + FF(x))
 *  pre-LN (norm_first = true, Xiong et al. 2020):
 *    x = x + SA(norm1(x));         y = x + FF(norm2(x))</pre>
 *
 * <p>Parameters: {@code self_attn.in_proj_weight [3d, d]}, {@code self_attn.in_proj_bias [3d]},
 * {@code self_attn.out_proj.weight [d, d]}, {@code self_attn.out_proj.bias [d]} (see
 * {@link MultiHeadAttention}), {@code linear1.weight [ff, d]}, {@code linear1.bias [ff]},
 * {@code linear2.weight [d, ff]}, {@code linear2.bias [d]}, {@code norm1.weight/bias [d]},
 * {@code norm2.weight/bias [d]} (layer-norm eps 1e-5). The three dropouts draw from independent
 * forks of the given {@link Rng} and are off when not training. PyTorch also applies its dropout to
 * the attention weights; here the attention has none (a difference only when dropout is on).
 */
public final class TransformerEncoderLayer extends Module {
  private final int dModel;
  private final boolean normFirst;
  private final MultiHeadAttention selfAttention;
  private final Linear linear1;
  private final Dropout dropout;
  private final Linear linear2;
  private final LayerNorm norm1;
  private final LayerNorm norm2;
  private final Dropout dropout1;
  private final Dropout dropout2;

  /**
   * A layer of width {@code dModel} with {@code heads} attention heads and a feed-forward network
   * {@code dModel -> feedForward -> dModel}, initialised from {@code rng}.
   *
   * @throws IllegalArgumentException if a size is not positive, {@code heads} does not divide
   *     {@code dModel}, or the dropout is outside {@code [0, 1]}
   */
  public TransformerEncoderLayer(Backend backend, DType dtype, int dModel, int heads, int feedForward, double dropout,
      boolean normFirst, Rng rng) {
    checkArgument(dModel > 0 && heads > 0 && feedForward > 0,
        "transformer encoder layer: sizes must be positive, got d_model=%s heads=%s dim_feedforward=%s", dModel, heads, feedForward);
    this.dModel = dModel;
    this.normFirst = normFirst;
    this.selfAttention = registerModule("self_attn", new MultiHeadAttention(backend, dtype, dModel, heads, rng));
    this.linear1 = registerModule("linear1", new Linear(backend, dtype, dModel, feedForward, rng));
    this.dropout = registerModule("dropout", new Dropout(dropout, rng.fork(1)));
    this.linear2 = registerModule("linear2", new Linear(backend, dtype, feedForward, dModel, rng));
    this.norm1 = registerModule("norm1", new LayerNorm(backend, dtype, dModel));
    this.norm2 = registerModule("norm2", new LayerNorm(backend, dtype, dModel));
    this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng.fork(2)));
    this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng.fork(3)));
  }

  /**
   * Runs the layer.
   *
   * @param src {@code [B, S, d_model]}
   * @param mask {@code null} or broadcastable to {@code [B, S, S]}, 1 where a position may attend
   *     (e.g. the key padding mask {@code [B, 1, S]}); the complement of PyTorch's
   *     {@code src_key_padding_mask} / {@code src_mask}
   * @return {@code [B, S, d_model]}
   * @throws IllegalArgumentException if {@code src} is not {@code [batch, length, d_model]} or the
   *     mask does not broadcast
   */
  public Tensor forward(Tensor src, Tensor mask) {
    checkArgument(src.rank() == 3 && src.dim(2) == dModel,
        "transformer encoder layer: input %s must be [batch, length, %s]", src.shape(), dModel);
    Tensor x = src;
    if (normFirst) {
      x = x.add(selfAttentionBlock(norm1.forward(x), mask));
      x = x.add(feedForwardBlock(norm2.forward(x)));
    } else {
      x = norm1.forward(x.add(selfAttentionBlock(x, mask)));
      x = norm2.forward(x.add(feedForwardBlock(x)));
    }
    return x;
  }

  private Tensor selfAttentionBlock(Tensor x, Tensor mask) {
    return dropout1.forward(selfAttention.attend(x, x, x, mask).context());
  }

  private Tensor feedForwardBlock(Tensor x) {
    return dropout2.forward(linear2.forward(dropout.forward(linear1.forward(x).relu())));
  }

  /** The model width {@code d_model}. */
  public int dModel() {
    return dModel;
  }

  /** Whether layer norm comes before each sublayer (pre-LN) rather than after the residual (post-LN). */
  public boolean normFirst() {
    return normFirst;
  }
}
