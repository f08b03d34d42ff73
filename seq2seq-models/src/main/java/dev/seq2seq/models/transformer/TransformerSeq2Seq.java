package dev.seq2seq.models.transformer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.attention.Masks;
import dev.seq2seq.models.layers.Embedding;
import dev.seq2seq.models.layers.LayerNorm;
import dev.seq2seq.models.layers.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Transformer encoder-decoder (Vaswani et al., "Attention Is All You Need", NeurIPS 2017) as a
 * {@link Seq2Seq}, with PyTorch's {@code nn.Transformer} (batch-first) as its core:
 *
 * <pre>  x_0 = dropout(E_src[source] * sqrt(d_model) + PE)                 (see {@link PositionalEncoding})
 *  x_l = EncoderLayer_l(x_{l-1}, sourceMask),   memory = encoder.norm(x_N)
 *  y_0 = dropout(E_tgt[targetInput] * sqrt(d_model) + PE)
 *  y_l = DecoderLayer_l(y_{l-1}, memory, causal * targetMask, sourceMask)
 *  logits = generator(decoder.norm(y_M))                               [B, T, V]</pre>
 *
 * <p>Layers are {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer}, post-LN (the
 * paper, PyTorch's default) or pre-LN ({@code norm_first}); the final {@code encoder.norm} and
 * {@code decoder.norm} are there in both cases, as in {@code nn.Transformer}. The causal mask lets
 * target position {@code t} see positions {@code <= t} only; padded source and target positions are
 * masked as keys.
 *
 * <p>Parameters: {@code src_embedding.weight [srcVocab, d]}, {@code tgt_embedding.weight [tgtVocab, d]},
 * {@code encoder.layers.<i>.*} and {@code encoder.norm.*}, {@code decoder.layers.<i>.*} and
 * {@code decoder.norm.*} (exactly the names of {@code nn.Transformer}'s state dict),
 * {@code generator.weight [tgtVocab, d]}, {@code generator.bias [tgtVocab]}. Initialisation: the
 * embeddings {@code N(0, 1)}, every matrix of the encoder and decoder Xavier-uniform (as
 * {@code nn.Transformer._reset_parameters}), the rest as the layers' defaults; all drawn from the
 * builder's {@link Rng}, as are the dropout masks (off when not training).
 *
 * <p>Decoding: {@link #encode} runs the encoder once and projects the memory into every decoder
 * layer's cross-attention keys and values; each {@link #step} computes the new position only (a
 * key/value cache: the self-attention keys and values of the earlier positions are carried in the
 * state, see {@link TransformerDecoderLayer#step}), returning its logits and the last layer's
 * cross-attention weights for it, averaged over heads. Because of the causal mask this gives the
 * same logits as {@link #logits} at every position (within rounding).
 */
public final class TransformerSeq2Seq extends Module implements Seq2Seq {
  private final Backend backend;
  private final DType dtype;
  private final int dModel;
  private final int targetVocab;
  private final boolean normFirst;
  private final Embedding sourceEmbedding;
  private final Embedding targetEmbedding;
  private final List<TransformerEncoderLayer> encoderLayers = new ArrayList<>();
  private final LayerNorm encoderNorm;
  private final List<TransformerDecoderLayer> decoderLayers = new ArrayList<>();
  private final LayerNorm decoderNorm;
  private final Linear generator;
  private final PositionalEncoding positional;

  private TransformerSeq2Seq(Builder b) {
    this.backend = b.backend;
    this.dtype = b.dtype;
    this.dModel = b.dModel;
    this.targetVocab = b.targetVocab;
    this.normFirst = b.normFirst;
    Rng rng = b.rng;
    int ff = b.feedForwardSet ? b.feedForward : 4 * dModel;
    sourceEmbedding = registerModule("src_embedding", new Embedding(backend, dtype, b.sourceVocab, dModel, rng));
    targetEmbedding = registerModule("tgt_embedding", new Embedding(backend, dtype, b.targetVocab, dModel, rng));
    for (int l = 0; l < b.encoderLayers; l++) {
      encoderLayers.add(registerModule("encoder.layers." + l,
          new TransformerEncoderLayer(backend, dtype, dModel, b.heads, ff, b.dropout, normFirst, rng)));
    }
    encoderNorm = registerModule("encoder.norm", new LayerNorm(backend, dtype, dModel));
    for (int l = 0; l < b.decoderLayers; l++) {
      decoderLayers.add(registerModule("decoder.layers." + l,
          new TransformerDecoderLayer(backend, dtype, dModel, b.heads, ff, b.dropout, normFirst, rng)));
    }
    decoderNorm = registerModule("decoder.norm", new LayerNorm(backend, dtype, dModel));
    generator = registerModule("generator", new Linear(backend, dtype, dModel, b.targetVocab, rng));
    positional = registerModule("positional_encoding",
        new PositionalEncoding(backend, dtype, dModel, b.maxLength, b.dropout, rng.fork(0x9e)));
    // nn.Transformer._reset_parameters: Xavier-uniform for every matrix of the encoder and decoder.
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      Parameter p = e.getValue();
      if ((e.getKey().startsWith("encoder.") || e.getKey().startsWith("decoder.")) && p.shape().rank() > 1) {
        double a = Math.sqrt(6.0 / (p.shape().dim(0) + p.shape().dim(1)));
        p.set(Tensors.uniform(backend, dtype, p.shape(), rng, -a, a));
      }
    }
  }

  /** A builder: {@code setX} for required, {@code optX} for optional settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int targetVocabSize() {
    return targetVocab;
  }

  /** The model width {@code d_model}. */
  public int dModel() {
    return dModel;
  }

  /** Whether the layers are pre-LN. */
  public boolean normFirst() {
    return normFirst;
  }

  /** The encoder layers, bottom first. */
  public List<TransformerEncoderLayer> encoderLayers() {
    return Collections.unmodifiableList(encoderLayers);
  }

  /** The decoder layers, bottom first. */
  public List<TransformerDecoderLayer> decoderLayers() {
    return Collections.unmodifiableList(decoderLayers);
  }

  /** The positional encoding shared by source and target. */
  public PositionalEncoding positionalEncoding() {
    return positional;
  }

  @Override
  public Tensor logits(Seq2SeqBatch batch) {
    Tensor sourceMask = memoryMask(batch.source(), batch.sourceMask());
    Tensor memory = encodeMemory(batch.source(), sourceMask);
    Tensor target = batch.targetInput();
    Tensor targetMask = batch.targetMask().cast(dtype).reshape(target.dim(0), 1, target.dim(1));
    return generator.forward(decode(target, memory, sourceMask, targetMask).output());
  }

  @Override
  public DecoderState encode(Tensor source, Tensor sourceMask) {
    Tensor mask = memoryMask(source, sourceMask);
    Tensor memory = encodeMemory(source, mask);
    List<Tensor> keys = new ArrayList<>(decoderLayers.size());
    List<Tensor> values = new ArrayList<>(decoderLayers.size());
    for (TransformerDecoderLayer layer : decoderLayers) {
      Tensor[] kv = layer.memoryKeysAndValues(memory);
      keys.add(kv[0]);
      values.add(kv[1]);
    }
    return new TransformerDecoderState(memory, mask, null, keys, values, List.of(), List.of());
  }

  /**
   * One decoder step at position {@code t = state.steps()}: only the new position is computed; the
   * self-attention keys and values of the earlier positions come from the state, the memory's
   * cross-attention keys and values were computed by {@link #encode}. The logits equal row {@code t}
   * of {@link #logits} on the same prefix (the causal mask keeps earlier rows unchanged).
   */
  @Override
  public DecoderStep step(Tensor previousTokens, DecoderState decoderState) {
    checkArgument(decoderState instanceof TransformerDecoderState, "transformer: not a state of this model: %s", decoderState);
    TransformerDecoderState state = (TransformerDecoderState) decoderState;
    int batch = state.batchSize();
    checkArgument(previousTokens.dtype() == DType.INT32 && previousTokens.rank() == 1 && previousTokens.dim(0) == batch,
        "transformer: previous tokens %s %s must be int32 [%s]", previousTokens.dtype().label(), previousTokens.shape(), batch);
    Tensor column = previousTokens.reshape(batch, 1);
    Tensor prefix = state.prefix() == null ? column : Tensor.concat(List.of(state.prefix(), column), 1);
    int t = state.steps();
    Tensor y = positional.forward(targetEmbedding.forward(column), t);  // [B, 1, d]
    Tensor weights = null;
    boolean first = state.selfKeys().isEmpty();
    List<Tensor> selfKeys = new ArrayList<>(decoderLayers.size());
    List<Tensor> selfValues = new ArrayList<>(decoderLayers.size());
    for (int i = 0; i < decoderLayers.size(); i++) {
      TransformerDecoderLayer.StepOutput out = decoderLayers.get(i).step(y, first ? null : state.selfKeys().get(i),
          first ? null : state.selfValues().get(i), state.memoryKeys().get(i), state.memoryValues().get(i), state.memoryMask());
      y = out.output();
      weights = out.crossAttention();
      selfKeys.add(out.selfKeys());
      selfValues.add(out.selfValues());
    }
    Tensor last = decoderNorm.forward(y).squeeze(1);  // [B, d]
    Tensor attention = weights.squeeze(1);  // [B, S]
    return new DecoderStep(generator.forward(last), attention, new TransformerDecoderState(state.memory(), state.memoryMask(),
        prefix, state.memoryKeys(), state.memoryValues(), selfKeys, selfValues));
  }

  private Tensor memoryMask(Tensor source, Tensor sourceMask) {
    checkArgument(source.dtype() == DType.INT32, "transformer: source ids must be int32, got %s", source.dtype().label());
    checkArgument(source.rank() == 2 && source.shape().equals(sourceMask.shape()),
        "transformer: source %s and mask %s must both be [batch, sourceLength]", source.shape(), sourceMask.shape());
    return sourceMask.cast(dtype).reshape(source.dim(0), 1, source.dim(1));
  }

  /** The encoder: embeddings, positions, the layers and {@code encoder.norm}: {@code [B, S, d]}. */
  private Tensor encodeMemory(Tensor source, Tensor mask) {
    Tensor x = positional.forward(sourceEmbedding.forward(source));
    for (TransformerEncoderLayer layer : encoderLayers) {
      x = layer.forward(x, mask);
    }
    return encoderNorm.forward(x);
  }

  /**
   * The decoder up to {@code decoder.norm}, with the last layer's cross-attention weights.
   *
   * @param targetMask {@code [B, 1, T]} padding mask or null
   */
  private TransformerDecoderLayer.Output decode(Tensor target, Tensor memory, Tensor memoryMask, Tensor targetMask) {
    Tensor selfMask = Masks.causal(backend, dtype, target.dim(1));
    if (targetMask != null) {
      selfMask = targetMask.mul(selfMask);
    }
    Tensor y = positional.forward(targetEmbedding.forward(target));
    Tensor weights = null;
    for (TransformerDecoderLayer layer : decoderLayers) {
      TransformerDecoderLayer.Output out = layer.forwardWithAttention(y, memory, selfMask, memoryMask);
      y = out.output();
      weights = out.crossAttention();
    }
    return new TransformerDecoderLayer.Output(decoderNorm.forward(y), weights);
  }

  /** Settings of a {@link TransformerSeq2Seq}. */
  public static final class Builder {
    private Backend backend;
    private DType dtype = DType.FLOAT32;
    private int sourceVocab;
    private int targetVocab;
    private int dModel;
    private int heads;
    private int encoderLayers = 6;
    private int decoderLayers = 6;
    private int feedForward;
    private boolean feedForwardSet;
    private double dropout = 0.1;
    private int maxLength = 512;
    private boolean normFirst;
    private Rng rng;

    private Builder() {}

    /** The backend the parameters live on (required). */
    public Builder setBackend(Backend backend) {
      this.backend = backend;
      return this;
    }

    /** Source and target vocabulary sizes (required). */
    public Builder setVocabularies(int source, int target) {
      this.sourceVocab = source;
      this.targetVocab = target;
      return this;
    }

    /** The model width {@code d_model} (required). */
    public Builder setModelSize(int dModel) {
      this.dModel = dModel;
      return this;
    }

    /** Attention heads per attention; must divide {@code d_model} (required). */
    public Builder setHeads(int heads) {
      this.heads = heads;
      return this;
    }

    /** The seed stream for initial weights and dropout masks (required). */
    public Builder setRng(Rng rng) {
      this.rng = rng;
      return this;
    }

    /** Parameter dtype (default float32). */
    public Builder optDType(DType dtype) {
      this.dtype = dtype;
      return this;
    }

    /** Encoder and decoder layers (default 6 and 6, as the paper and {@code nn.Transformer}). */
    public Builder optNumLayers(int encoder, int decoder) {
      this.encoderLayers = encoder;
      this.decoderLayers = decoder;
      return this;
    }

    /** Inner size of the feed-forward networks {@code dim_feedforward} (default {@code 4 * d_model}, the paper's ratio). */
    public Builder optFeedForwardSize(int feedForward) {
      this.feedForward = feedForward;
      this.feedForwardSet = true;
      return this;
    }

    /** Dropout after positional encoding and in every layer (default 0.1). */
    public Builder optDropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** The longest source or target sequence (positional-encoding table size; default 512). */
    public Builder optMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Pre-LN layers ({@code norm_first = true}) instead of post-LN (default false). */
    public Builder optNormFirst(boolean normFirst) {
      this.normFirst = normFirst;
      return this;
    }

    /**
     * Builds the model.
     *
     * @throws IllegalStateException naming the first missing or invalid setting
     */
    public TransformerSeq2Seq build() {
      checkState(backend != null, "transformer: setBackend is required");
      checkState(rng != null, "transformer: setRng is required");
      checkState(dtype != null && dtype.isFloating(), "transformer: optDType needs a floating dtype, got %s", dtype);
      checkState(sourceVocab > 0 && targetVocab > 0, "transformer: setVocabularies needs positive sizes, got %s and %s", sourceVocab, targetVocab);
      checkState(dModel > 0, "transformer: setModelSize needs a positive size, got %s", dModel);
      checkState(heads > 0, "transformer: setHeads needs a positive count, got %s", heads);
      checkState(dModel % heads == 0, "transformer: d_model %s must be divisible by the number of heads %s", dModel, heads);
      checkState(encoderLayers > 0 && decoderLayers > 0, "transformer: optNumLayers needs at least 1 and 1, got %s and %s", encoderLayers, decoderLayers);
      checkState(!feedForwardSet || feedForward > 0, "transformer: optFeedForwardSize needs a positive size, got %s", feedForward);
      checkState(dropout >= 0 && dropout < 1, "transformer: optDropout needs [0, 1), got %s", dropout);
      checkState(maxLength > 0, "transformer: optMaxLength needs a positive length, got %s", maxLength);
      return new TransformerSeq2Seq(this);
    }
  }
}
