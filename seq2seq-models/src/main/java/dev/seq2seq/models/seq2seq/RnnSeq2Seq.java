package dev.seq2seq.models.seq2seq;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.nn.Attention;
import dev.seq2seq.api.nn.AttentionResult;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.nn.DecoderState;
import dev.seq2seq.api.nn.DecoderStep;
import dev.seq2seq.api.nn.PreparedKeys;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.layers.Dropout;
import dev.seq2seq.models.layers.Embedding;
import dev.seq2seq.models.layers.Linear;
import dev.seq2seq.models.rnn.CellFactory;
import dev.seq2seq.models.rnn.RecurrentLayer;
import dev.seq2seq.models.rnn.RecurrentOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * An RNN encoder-decoder (Sutskever et al. 2014; Cho et al. 2014) with optional attention
 * (Bahdanau et al. 2015 or Luong et al. 2015), built from any {@link Cell}.
 *
 * <p>Encoder: embedding, then a (multi-layer, optionally bidirectional) recurrent layer over the
 * padded source. Bridge: the final state of each encoder layer (directions concatenated) becomes
 * that decoder layer's initial state, part by part: {@code s_0 = tanh(W_bridge [h_fwd; h_bwd] + b)}.
 * Decoder, per step {@code t} with previous token {@code y_{t-1}} and {@code x = E y_{t-1}}:
 *
 * <pre>
 *   NONE      s_t = cells(x, s_{t-1});                                 logits = W_o s_t
 *   BAHDANAU  c_t = attend(s_{t-1}, memory);  s_t = cells([x; c_t], s_{t-1});  logits = W_o [s_t; c_t]
 *   LUONG     s_t = cells([x; h~_{t-1}], s_{t-1});  c_t = attend(s_t, memory);
 *             h~_t = tanh(W_c [c_t; s_t]);                              logits = W_o h~_t
 * </pre>
 *
 * where {@code s} is the top layer's hidden state and {@code cells} runs the stacked decoder cells
 * with dropout between layers. {@code attend} uses the memory as keys prepared once by
 * {@link Attention#prepareKeys} in {@link #encode} (carried in the decoder state and selected with
 * it), so the key side of the score is computed once per source batch, not once per step; under
 * teacher forcing ({@link #logits}) the output layer runs once over all steps' features. Parameters: {@code encoder.embedding.weight},
 * {@code encoder.rnn.weight_ih_l0} ... (PyTorch's nn.LSTM/GRU names), {@code bridge.0.*} (one per
 * state part), {@code decoder.embedding.weight}, {@code decoder.cells.0.weight_ih} ...,
 * {@code decoder.attention.*}, {@code decoder.combine.*} (Luong), {@code decoder.output.*}.
 */
public final class RnnSeq2Seq extends Module implements Seq2Seq {
  private final Backend backend;
  private final DType dtype;
  private final int targetVocab;
  private final int hidden;
  private final AttentionStyle style;
  private final Embedding sourceEmbedding;
  private final RecurrentLayer encoder;
  private final List<Linear> bridges = new ArrayList<>();
  private final Embedding targetEmbedding;
  private final List<Cell> decoderCells = new ArrayList<>();
  private final Attention attention;
  private final Linear combine;
  private final Linear output;
  private final Dropout dropout;

  private RnnSeq2Seq(Builder b) {
    this.backend = b.backend;
    this.dtype = b.dtype;
    this.targetVocab = b.targetVocab;
    this.hidden = b.hidden;
    this.style = b.style;
    Rng rng = b.rng;
    sourceEmbedding = registerModule("encoder.embedding", new Embedding(backend, dtype, b.sourceVocab, b.embedding, rng));
    encoder = registerModule("encoder.rnn", RecurrentLayer.builder()
        .setCell(b.cell).setInputSize(b.embedding).setHiddenSize(hidden).setRng(rng)
        .optNumLayers(b.layers).optBidirectional(b.bidirectional).optDropout(b.dropout).build());
    int keySize = hidden * encoder.directions();
    int parts = encoder.cell(0, 0).initialState(1).size();
    for (int p = 0; p < parts; p++) {
      bridges.add(registerModule("bridge." + p, new Linear(backend, dtype, keySize, hidden, rng)));
    }
    targetEmbedding = registerModule("decoder.embedding", new Embedding(backend, dtype, b.targetVocab, b.embedding, rng));
    int extra = style == AttentionStyle.BAHDANAU ? keySize : style == AttentionStyle.LUONG ? hidden : 0;
    for (int l = 0; l < b.layers; l++) {
      Cell cell = b.cell.create(l == 0 ? b.embedding + extra : hidden, hidden, rng);
      checkArgument(cell instanceof Module, "rnn seq2seq: the cell factory made a %s, which is not a Module", cell.getClass().getName());
      decoderCells.add(cell);
      registerModule("decoder.cells." + l, (Module) cell);
    }
    if (style != AttentionStyle.NONE) {
      checkArgument(b.attention != null, "rnn seq2seq: attention style %s needs an attention factory", style);
      attention = b.attention.create(hidden, keySize, rng);
      if (attention instanceof Module) {
        registerModule("decoder.attention", (Module) attention);
      }
    } else {
      attention = null;
    }
    combine = style == AttentionStyle.LUONG
        ? registerModule("decoder.combine", new Linear(backend, dtype, keySize + hidden, hidden, false, rng)) : null;
    int outIn = style == AttentionStyle.BAHDANAU ? hidden + keySize : hidden;
    output = registerModule("decoder.output", new Linear(backend, dtype, outIn, b.targetVocab, rng));
    dropout = registerModule("dropout", new Dropout(b.dropout, rng.fork(0x5eed)));
  }

  /** A builder: {@code setX} for required, {@code optX} for optional settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int targetVocabSize() {
    return targetVocab;
  }

  /** How the decoder uses attention. */
  public AttentionStyle attentionStyle() {
    return style;
  }

  @Override
  public Tensor logits(Seq2SeqBatch batch) {
    DecoderState state = encode(batch.source(), batch.sourceMask());
    int steps = batch.targetInput().dim(1);
    List<Tensor> perStep = new ArrayList<>(steps);
    RnnDecoderState current = (RnnDecoderState) state;
    for (int t = 0; t < steps; t++) {
      Advanced step = advance(batch.targetInput().sliceAxis(1, t, 1).reshape(-1), current);
      perStep.add(step.features().unsqueeze(1));
      current = step.state();
    }
    // the output layer once over [batch, steps, features]: one large product instead of one per step
    return output.forward(dropout.forward(Tensor.concat(perStep, 1)));
  }

  @Override
  public DecoderState encode(Tensor source, Tensor sourceMask) {
    checkArgument(source.rank() == 2 && source.shape().equals(sourceMask.shape()),
        "rnn seq2seq: source %s and mask %s must both be [batch, sourceLength]", source.shape(), sourceMask.shape());
    int batch = source.dim(0);
    // the mask path computes padding with tensor ops only, so encoding can run inside a compiled step
    RecurrentOutput encoded = encoder.forward(dropout.forward(sourceEmbedding.forward(source)), sourceMask, null);
    List<CellState> initial = new ArrayList<>(decoderCells.size());
    for (int l = 0; l < decoderCells.size(); l++) {
      List<Tensor> parts = new ArrayList<>(bridges.size());
      for (int p = 0; p < bridges.size(); p++) {
        List<Tensor> directions = new ArrayList<>(encoder.directions());
        for (int d = 0; d < encoder.directions(); d++) {
          directions.add(encoded.finalState(l, d).part(p));
        }
        parts.add(bridges.get(p).forward(Tensor.concat(directions, 1)).tanh());
      }
      initial.add(CellState.of(parts));
    }
    Tensor memoryMask = sourceMask.cast(dtype).reshape(batch, 1, source.dim(1));
    Tensor attentional = style == AttentionStyle.LUONG ? Tensors.zeros(backend, dtype, Shape.of(batch, hidden)) : null;
    Tensor memory = encoded.outputs();
    // the key side of the attention (e.g. Bahdanau's U h_s + b) depends on the memory only: once here, not per step
    PreparedKeys memoryKeys = attention == null ? null : attention.prepareKeys(memory);
    return new RnnDecoderState(memory, memoryKeys, memoryMask, initial, attentional);
  }

  @Override
  public DecoderStep step(Tensor previousTokens, DecoderState decoderState) {
    checkArgument(decoderState instanceof RnnDecoderState, "rnn seq2seq: not a state of this model: %s", decoderState);
    Advanced step = advance(previousTokens, (RnnDecoderState) decoderState);
    Tensor logits = output.forward(dropout.forward(step.features()));
    return new DecoderStep(logits, step.weights(), step.state());
  }

  /** One decoder step up to the output layer's input. */
  private record Advanced(Tensor features, Tensor weights, RnnDecoderState state) {}

  /** The decoder step of the class comment without its last line, {@code logits = W_o features}. */
  private Advanced advance(Tensor previousTokens, RnnDecoderState state) {
    checkArgument(previousTokens.rank() == 1 && previousTokens.dim(0) == state.batchSize(),
        "rnn seq2seq: previous tokens %s must be [%s]", previousTokens.shape(), state.batchSize());
    Tensor x = dropout.forward(targetEmbedding.forward(previousTokens));
    AttentionResult attended = null;
    if (style == AttentionStyle.BAHDANAU) {
      attended = attend(top(state.layers()).hidden(), state);
      x = Tensor.concat(List.of(x, attended.context()), 1);
    } else if (style == AttentionStyle.LUONG) {
      x = Tensor.concat(List.of(x, state.attentional()), 1);
    }
    List<CellState> next = new ArrayList<>(decoderCells.size());
    Tensor input = x;
    for (int l = 0; l < decoderCells.size(); l++) {
      CellState s = decoderCells.get(l).step(input, state.layers().get(l));
      next.add(s);
      input = l + 1 < decoderCells.size() ? dropout.forward(s.hidden()) : s.hidden();
    }
    Tensor h = top(next).hidden();
    Tensor features;
    Tensor attentional = null;
    switch (style) {
      case BAHDANAU:
        features = Tensor.concat(List.of(h, attended.context()), 1);
        break;
      case LUONG:
        attended = attend(h, state);
        attentional = combine.forward(Tensor.concat(List.of(attended.context(), h), 1)).tanh();
        features = attentional;
        break;
      default:
        features = h;
    }
    Tensor weights = attended == null ? null : attended.weights().squeeze(1);
    return new Advanced(features, weights, new RnnDecoderState(state.memory(), state.memoryKeys(), state.memoryMask(), next, attentional));
  }

  private AttentionResult attend(Tensor query, RnnDecoderState state) {
    AttentionResult r = attention.attendPrepared(query.unsqueeze(1), state.memoryKeys(), state.memory(), state.memoryMask());
    return new AttentionResult(r.context().squeeze(1), r.weights());
  }

  private static CellState top(List<CellState> layers) {
    return layers.get(layers.size() - 1);
  }

  /** Settings of an {@link RnnSeq2Seq}. */
  public static final class Builder {
    private Backend backend;
    private DType dtype = DType.FLOAT32;
    private int sourceVocab;
    private int targetVocab;
    private CellFactory cell;
    private int hidden;
    private int embedding;
    private int layers = 1;
    private boolean bidirectional;
    private double dropout;
    private AttentionStyle style = AttentionStyle.NONE;
    private AttentionFactory attention;
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

    /** The recurrent cell of encoder and decoder (required). */
    public Builder setCell(CellFactory cell) {
      this.cell = cell;
      return this;
    }

    /** Hidden size of every layer (required). */
    public Builder setHiddenSize(int hidden) {
      this.hidden = hidden;
      return this;
    }

    /** Token embedding size (required). */
    public Builder setEmbeddingSize(int embedding) {
      this.embedding = embedding;
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

    /** Layers of encoder and decoder (default 1). */
    public Builder optNumLayers(int layers) {
      this.layers = layers;
      return this;
    }

    /** A bidirectional encoder (default false). */
    public Builder optBidirectionalEncoder(boolean bidirectional) {
      this.bidirectional = bidirectional;
      return this;
    }

    /** Dropout on embeddings, between layers and before the output layer (default 0). */
    public Builder optDropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** Attention: how the decoder uses it and the scoring function (default none). */
    public Builder optAttention(AttentionStyle style, AttentionFactory attention) {
      this.style = style;
      this.attention = attention;
      return this;
    }

    /**
     * Builds the model.
     *
     * @throws IllegalStateException naming the first missing or invalid setting
     */
    public RnnSeq2Seq build() {
      checkState(backend != null, "rnn seq2seq: setBackend is required");
      checkState(cell != null, "rnn seq2seq: setCell is required");
      checkState(rng != null, "rnn seq2seq: setRng is required");
      checkState(sourceVocab > 0 && targetVocab > 0, "rnn seq2seq: setVocabularies needs positive sizes, got %s and %s", sourceVocab, targetVocab);
      checkState(hidden > 0, "rnn seq2seq: setHiddenSize needs a positive size, got %s", hidden);
      checkState(embedding > 0, "rnn seq2seq: setEmbeddingSize needs a positive size, got %s", embedding);
      checkState(layers > 0, "rnn seq2seq: optNumLayers needs at least 1, got %s", layers);
      checkState(dropout >= 0 && dropout < 1, "rnn seq2seq: optDropout needs [0, 1), got %s", dropout);
      checkState(style != null, "rnn seq2seq: attention style must not be null");
      checkState(style == AttentionStyle.NONE || attention != null, "rnn seq2seq: attention style %s needs an attention factory", style);
      return new RnnSeq2Seq(this);
    }
  }
}
