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
import java.util.List;

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

  /**
   * The result of {@link #step}.
   *
   * @param output {@code [B, 1, d_model]}: the layer's output at the new position
   * @param crossAttention {@code [B, 1, S]}
   * @param selfKeys the self-attention keys of every position so far, this one included, {@code [B, H, t + 1, d_model / H]}
   * @param selfValues the matching values
   */
  public record StepOutput(Tensor output, Tensor crossAttention, Tensor selfKeys, Tensor selfValues) {}

  /**
   * The memory's cross-attention keys and values, {@code [B, H, S, d_model / H]} each, computed once
   * per source batch for {@link #step}.
   */
  public Tensor[] memoryKeysAndValues(Tensor memory) {
    return crossAttention.projectKeysAndValues(memory, memory);
  }

  /**
   * Incremental decoding: the layer at one new position {@code t} under the causal mask, with the
   * self-attention keys and values of positions {@code 0 .. t - 1} cached. Equals row {@code t} of
   * {@link #forwardWithAttention} over the whole prefix with a causal {@code tgtMask} (each position
   * attends to itself and the earlier ones only, so earlier rows never change), in {@code O(t)}
   * instead of {@code O(t^2)} work.
   *
   * @param x {@code [B, 1, d_model]}: the layer's input at position {@code t}
   * @param selfKeys cached keys {@code [B, H, t, d_model / H]} from the previous step, or {@code null} at {@code t = 0}
   * @param selfValues the matching values, or {@code null}
   * @param memoryKeys {@link #memoryKeysAndValues}{@code [0]}
   * @param memoryValues {@link #memoryKeysAndValues}{@code [1]}
   * @param memoryMask {@code null} or broadcastable to {@code [B, 1, S]}
   */
  public StepOutput step(Tensor x, Tensor selfKeys, Tensor selfValues, Tensor memoryKeys, Tensor memoryValues,
      Tensor memoryMask) {
    checkArgument(x.rank() == 3 && x.dim(1) == 1 && x.dim(2) == dModel,
        "transformer decoder layer: step input %s must be [batch, 1, %s]", x.shape(), dModel);
    checkArgument((selfKeys == null) == (selfValues == null), "transformer decoder layer: cache keys and values go together");
    AttentionResult cross;
    Tensor[] kv;
    if (normFirst) {
      Tensor n = norm1.forward(x);
      kv = extend(n, selfKeys, selfValues);
      x = x.add(dropout1.forward(selfAttention.attendProjected(n, kv[0], kv[1], null).context()));
      cross = crossAttention.attendProjected(norm2.forward(x), memoryKeys, memoryValues, memoryMask);
      x = x.add(dropout2.forward(cross.context()));
      x = x.add(feedForwardBlock(norm3.forward(x)));
    } else {
      kv = extend(x, selfKeys, selfValues);
      x = norm1.forward(x.add(dropout1.forward(selfAttention.attendProjected(x, kv[0], kv[1], null).context())));
      cross = crossAttention.attendProjected(x, memoryKeys, memoryValues, memoryMask);
      x = norm2.forward(x.add(dropout2.forward(cross.context())));
      x = norm3.forward(x.add(feedForwardBlock(x)));
    }
    return new StepOutput(x, cross.weights(), kv[0], kv[1]);
  }

  /** The cached self-attention keys and values extended by those of {@code x}. */
  private Tensor[] extend(Tensor x, Tensor keys, Tensor values) {
    Tensor[] kv = selfAttention.projectKeysAndValues(x, x);
    if (keys == null) {
      return kv;
    }
    return new Tensor[] {Tensor.concat(List.of(keys, kv[0]), 2), Tensor.concat(List.of(values, kv[1]), 2)};
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
