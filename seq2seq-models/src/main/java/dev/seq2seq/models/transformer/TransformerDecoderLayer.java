package dev.seq2seq.models.transformer;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.attention.MultiHeadAttention;
import dev.seq2seq.models.layers.Dropout;
import dev.seq2seq.models.layers.LayerNorm;
import dev.seq2seq.models.layers.Linear;

/**
 * One decoder layer of the Transformer (Vaswani et al., "Attention Is All You Need", NeurIPS 2017,
 * section 3.1), PyTorch's {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward,
 * dropout, activation="relu", batch_first=True, norm_first)} with the same parameters and semantics:
 *
 * <pre>  SA(x)    = dropout1(self_attn(x, x, x, tgtMask))              (tgtMask: causal and padding)
 *  CA(x, m) = dropout2(multihead_attn(x, m, m, memoryMask))        (cross-attention to the memory)
 *  FF(x)    = dropout3(linear2(dropout(relu(linear1(x)))))
 *
 *  post-LN (norm_first = false, the paper and PyTorch's default):
 *    x = norm1(x + SA(x));   x = norm2(x + CA(x, m));   y = norm3(x + FF(x))
 *  pre-LN (norm_first = true):
 *    x = x + SA(norm1(x));   x = x + CA(norm2(x), m);   y = x + FF(norm3(x))</pre>
 *
 * <p>Parameters: {@code self_attn.*} and {@code multihead_attn.*} ({@code in_proj_weight [3d, d]},
 * {@code in_proj_bias [3d]}, {@code out_proj.weight [d, d]}, {@code out_proj.bias [d]}, see
 * {@link MultiHeadAttention}), {@code linear1.weight [ff, d]}, {@code linear1.bias [ff]},
 * {@code linear2.weight [d, ff]}, {@code linear2.bias [d]}, {@code norm1}, {@code norm2},
 * {@code norm3} ({@code weight/bias [d]}, eps 1e-5). The dropouts draw from independent forks of the
 * given {@link Rng} and are off when not training; there is no dropout on attention weights.
 */
public final class TransformerDecoderLayer extends Module {
  private final int dModel;
  private final boolean normFirst;
  private final MultiHeadAttention selfAttention;
  private final MultiHeadAttention crossAttention;
  private final Linear linear1;
  private final Dropout dropout;
  private final Linear linear2;
  private final LayerNorm norm1;
  private final LayerNorm norm2;
  private final LayerNorm norm3;
  private final Dropout dropout1;
  private final Dropout dropout2;
  private final Dropout dropout3;

  /**
   * The output of a decoder layer and the weights of its cross-attention.
   *
   * @param output {@code [B, T, d_model]}
   * @param crossAttention {@code [B, T, S]}: the cross-attention weights averaged over heads
   */
  public record Output(Tensor output, Tensor crossAttention) {}

  /**
   * A layer of width {@code dModel} with {@code heads} heads in both attentions and a feed-forward
   * network {@code dModel -> feedForward -> dModel}, initialised from {@code rng}.
   *
   * @throws IllegalArgumentException if a size is not positive, {@code heads} does not divide
   *     {@code dModel}, or the dropout is outside {@code [0, 1]}
   */
  public TransformerDecoderLayer(Backend backend, DType dtype, int dModel, int heads, int feedForward, double dropout,
      boolean normFirst, Rng rng) {
    checkArgument(dModel > 0 && heads > 0 && feedForward > 0,
        "transformer decoder layer: sizes must be positive, got d_model=%s heads=%s dim_feedforward=%s", dModel, heads, feedForward);
    this.dModel = dModel;
    this.normFirst = normFirst;
    this.selfAttention = registerModule("self_attn", new MultiHeadAttention(backend, dtype, dModel, heads, rng));
    this.crossAttention = registerModule("multihead_attn", new MultiHeadAttention(backend, dtype, dModel, heads, rng));
    this.linear1 = registerModule("linear1", new Linear(backend, dtype, dModel, feedForward, rng));
    this.dropout = registerModule("dropout", new Dropout(dropout, rng.fork(1)));
    this.linear2 = registerModule("linear2", new Linear(backend, dtype, feedForward, dModel, rng));
    this.norm1 = registerModule("norm1", new LayerNorm(backend, dtype, dModel));
    this.norm2 = registerModule("norm2", new LayerNorm(backend, dtype, dModel));
    this.norm3 = registerModule("norm3", new LayerNorm(backend, dtype, dModel));
    this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng.fork(2)));
    this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng.fork(3)));
    this.dropout3 = registerModule("dropout3", new Dropout(dropout, rng.fork(4)));
  }

  /**
   * Runs the layer and returns its output.
   *
   * @see #forwardWithAttention
   */
  public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask) {
    return forwardWithAttention(tgt, memory, tgtMask, memoryMask).output();
  }

  /**
   * Runs the layer.
   *
   * @param tgt {@code [B, T, d_model]}
   * @param memory the encoder output {@code [B, S, d_model]}
   * @param tgtMask {@code null} or broadcastable to {@code [B, T, T]}, 1 where a target position
   *     may attend: usually {@link dev.seq2seq.models.attention.Masks#causal} times the target
   *     padding mask {@code [B, 1, T]} (the complement of PyTorch's {@code tgt_mask} and
   *     {@code tgt_key_padding_mask})
   * @param memoryMask {@code null} or broadcastable to {@code [B, T, S]}, usually the source
   *     padding mask {@code [B, 1, S]} (the complement of {@code memory_key_padding_mask})
   * @return the output and the cross-attention weights
   * @throws IllegalArgumentException if a shape does not fit
   */
  public Output forwardWithAttention(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask) {
    checkArgument(tgt.rank() == 3 && tgt.dim(2) == dModel,
        "transformer decoder layer: target %s must be [batch, length, %s]", tgt.shape(), dModel);
    checkArgument(memory.rank() == 3 && memory.dim(0) == tgt.dim(0) && memory.dim(2) == dModel,
        "transformer decoder layer: memory %s must be [%s, sourceLength, %s]", memory.shape(), tgt.dim(0), dModel);
    Tensor x = tgt;
    AttentionResult cross;
    if (normFirst) {
      x = x.add(dropout1.forward(selfAttend(norm1.forward(x), tgtMask)));
      cross = crossAttention.attend(norm2.forward(x), memory, memory, memoryMask);
      x = x.add(dropout2.forward(cross.context()));
      x = x.add(feedForwardBlock(norm3.forward(x)));
    } else {
      x = norm1.forward(x.add(dropout1.forward(selfAttend(x, tgtMask))));
      cross = crossAttention.attend(x, memory, memory, memoryMask);
      x = norm2.forward(x.add(dropout2.forward(cross.context())));
      x = norm3.forward(x.add(feedForwardBlock(x)));
    }
    return new Output(x, cross.weights());
  }

  private Tensor selfAttend(Tensor x, Tensor mask) {
    return selfAttention.attend(x, x, x, mask).context();
  }

  private Tensor feedForwardBlock(Tensor x) {
    return dropout3.forward(linear2.forward(dropout.forward(linear1.forward(x).relu())));
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
