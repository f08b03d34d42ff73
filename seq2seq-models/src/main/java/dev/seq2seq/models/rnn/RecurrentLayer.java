package dev.seq2seq.models.rnn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.models.layers.Dropout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stack of recurrent layers run over batch-first sequences, PyTorch's {@code nn.RNN} /
 * {@code nn.LSTM} / {@code nn.GRU} with {@code batch_first=True}, built from any {@link Cell}.
 *
 * <p>For layer {@code l} and direction {@code d} with cell {@code C_{l,d}}:
 *
 * <pre>
 *   forward:  s_t = C(x_t, s_{t-1}),            t = 0 .. T-1
 *   reverse:  s_t = C(x_t, s_{t+1}),            t = T-1 .. 0
 *   y_t       = [h_t(forward); h_t(reverse)]     (the next layer's input, after dropout in training)
 * </pre>
 *
 * <p>Variable lengths: with {@code lengths[b]} given, only steps {@code t < lengths[b]} of sequence
 * {@code b} are real. A padded step leaves the state unchanged, {@code s_t = where(m_t, C(x_t, s), s)},
 * and outputs zeros; the reverse direction reads each sequence backwards within its own length, as
 * PyTorch's packed sequences do. So a padded sequence gets exactly the outputs and final states it
 * would get alone. With the padding given only as a mask tensor (as in a compiled step), the
 * built-in LSTM, GRU and tanh cells compute the same results without masking every step: the
 * sequences run through all steps, padded outputs are zeroed at once and each final state is
 * gathered from the last real step.
 *
 * <p>Parameters are the cells' own, exposed under PyTorch's names: {@code weight_ih_l0},
 * {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, then {@code ..._l0_reverse} when
 * bidirectional, then layer 1, and so on. Cells are drawn from the builder's {@link Rng} in that
 * order; dropout masks come from a generator forked from it.
 */
public final class RecurrentLayer extends Module {
  private static final long DROPOUT_STREAM = 0x44524f50L;

  private final int inputSize;
  private final int hiddenSize;
  private final int numLayers;
  private final int directions;
  private final List<Cell> cells;
  private final Dropout dropout;

  private RecurrentLayer(Builder b) {
    this.inputSize = b.inputSize;
    this.hiddenSize = b.hiddenSize;
    this.numLayers = b.numLayers;
    this.directions = b.bidirectional ? 2 : 1;
    this.cells = new ArrayList<>();
    for (int l = 0; l < numLayers; l++) {
      int in = l == 0 ? inputSize : hiddenSize * directions;
      for (int d = 0; d < directions; d++) {
        Cell cell = b.factory.create(in, hiddenSize, b.rng);
        checkArgument(cell instanceof Module, "recurrent layer: the cell factory made a %s, which is not a Module", cell.getClass().getName());
        checkArgument(cell.inputSize() == in && cell.hiddenSize() == hiddenSize,
            "recurrent layer: the cell factory made a cell %s -> %s, expected %s -> %s", cell.inputSize(), cell.hiddenSize(), in, hiddenSize);
        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
        for (Map.Entry<String, Parameter> e : ((Module) cell).namedParameters().entrySet()) {
          registerParameter(e.getKey().replace('.', '_') + suffix, e.getValue());
        }
        cells.add(cell);
      }
    }
    this.dropout = registerModule("dropout", new Dropout(b.dropout, b.rng.fork(DROPOUT_STREAM)));
  }

  /** A builder; {@code setX} values are required, {@code optX} optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs every sequence to its full length from zero states. */
  public RecurrentOutput forward(Tensor input) {
    return forward(input, (int[]) null, null);
  }

  /** Runs sequence {@code b} for {@code lengths[b]} steps from zero states. */
  public RecurrentOutput forward(Tensor input, int[] lengths) {
    return forward(input, lengths, null);
  }

  /**
   * Runs the stack.
   *
   * @param input {@code [batch, time, inputSize]}
   * @param lengths real steps per sequence, each in {@code [1, time]}; null means all {@code time}
   * @param initial initial states indexed {@code layer * directions + direction}; null means zeros
   * @throws IllegalArgumentException naming the expected shapes or values when an argument does not fit
   */
  public RecurrentOutput forward(Tensor input, int[] lengths, List<CellState> initial) {
    checkInput(input, initial);
    return run(input, Sequences.ofLengths(input, lengths), initial);
  }

  /**
   * Runs the stack with the padding given as a tensor, computing everything with tensor operations
   * (no value is read back, so this also runs inside a compiled step).
   *
   * @param input {@code [batch, time, inputSize]}
   * @param mask {@code [batch, time]}, 1 on real steps and 0 on padding, padding at the end of each
   *     sequence; a sequence of length 0 keeps its initial state and outputs zeros
   * @param initial initial states indexed {@code layer * directions + direction}; null means zeros
   */
  public RecurrentOutput forward(Tensor input, Tensor mask, List<CellState> initial) {
    checkInput(input, initial);
    return run(input, Sequences.ofMask(input, mask), initial);
  }

  private void checkInput(Tensor input, List<CellState> initial) {
    checkArgument(input.rank() == 3 && input.dim(2) == inputSize,
        "recurrent layer: input %s, expected [batch, time, %s]", input.shape(), inputSize);
    checkArgument(input.dim(0) > 0 && input.dim(1) > 0, "recurrent layer: empty input %s", input.shape());
    checkArgument(initial == null || initial.size() == cells.size(),
        "recurrent layer: %s initial states, expected layers * directions = %s", initial == null ? 0 : initial.size(), cells.size());
  }

  private RecurrentOutput run(Tensor input, Sequences seq, List<CellState> initial) {
    int batch = input.dim(0);
    List<CellState> finals = new ArrayList<>(cells.size());
    Tensor layerInput = input;
    Tensor layerOutput = null;
    for (int l = 0; l < numLayers; l++) {
      if (l > 0) {
        layerInput = dropout.forward(layerOutput);
      }
      List<Tensor> outs = new ArrayList<>(directions);
      for (int d = 0; d < directions; d++) {
        int k = l * directions + d;
        Cell cell = cells.get(k);
        CellState start = initial == null ? cell.initialState(batch) : initial.get(k);
        Tensor x = d == 0 ? layerInput : seq.reverse(layerInput);
        CellState[] last = new CellState[1];
        Tensor y = run(cell, x, seq, start, last);
        outs.add(d == 0 ? y : seq.reverse(y));
        finals.add(last[0]);
      }
      layerOutput = Tensor.concat(outs, 2);
    }
    return new RecurrentOutput(layerOutput, finals, directions);
  }

  /** Steps {@code cell} over {@code x [B, T, F]}; returns {@code [B, T, H]} and the final state in {@code last[0]}. */
  private Tensor run(Cell cell, Tensor x, Sequences seq, CellState state, CellState[] last) {
    if (seq.paddingOnlyAsTensor() && cell instanceof AbstractCell && ((AbstractCell) cell).hasBoundedState()) {
      return runToLastRealStep(cell, x, seq, state, last);
    }
    int batch = x.dim(0);
    int features = x.dim(2);
    List<Tensor> outs = new ArrayList<>(seq.time());
    for (int t = 0; t < seq.time(); t++) {
      Tensor xt = x.sliceAxis(1, t, 1).reshape(batch, features);
      CellState next = cell.step(xt, state);
      Tensor out = next.hidden();
      if (seq.isPadded(t)) {
        Tensor mask = seq.mask(t);
        List<Tensor> parts = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) {
          parts.add(Tensor.where(mask, next.part(i), state.part(i)));
        }
        next = CellState.of(parts);
        out = Tensor.where(mask, out, seq.zero());
      }
      state = next;
      outs.add(out.unsqueeze(1));
    }
    last[0] = state;
    return Tensor.concat(outs, 1);
  }

  /**
   * {@link #run} when any step may be padded and only a mask tensor says which, for a built-in cell
   * whose state stays finite ({@link AbstractCell#hasBoundedState}): every sequence steps through
   * all {@code T} steps unmasked (padding sits at the end, so no real step reads a padded one), the
   * outputs are zeroed on padding in one select over {@code [B, T, H]}, and each part of the final
   * state is gathered from the sequence's last real step (its start state when it has none). The
   * same values as masking the state at every step, with three selects per layer instead of three
   * per step (each select is three kernels with its gradient). Other cells (ReLU, users' own) keep
   * the per-step mask, so padding can never drive their state to overflow.
   */
  private Tensor runToLastRealStep(Cell cell, Tensor x, Sequences seq, CellState start, CellState[] last) {
    int batch = x.dim(0);
    int features = x.dim(2);
    int time = seq.time();
    List<List<Tensor>> steps = new ArrayList<>(); // per state part, its value after every step
    for (int i = 0; i < start.size(); i++) {
      steps.add(new ArrayList<>(time));
    }
    CellState state = start;
    for (int t = 0; t < time; t++) {
      state = cell.step(x.sliceAxis(1, t, 1).reshape(batch, features), state);
      for (int i = 0; i < state.size(); i++) {
        steps.get(i).add(state.part(i).unsqueeze(1));
      }
    }
    List<Tensor> finals = new ArrayList<>(steps.size());
    List<Tensor> stacked = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      Tensor all = Tensor.concat(steps.get(i), 1); // [B, T, P]
      stacked.add(all);
      Tensor atLast = all.reshape(batch * time, all.dim(2)).gather(seq.lastStepIndex(), 0);
      finals.add(Tensor.where(seq.mask(0), atLast, start.part(i)));
    }
    last[0] = CellState.of(finals);
    return Tensor.where(seq.stepMask(), stacked.get(0), seq.zero()); // part 0 is the hidden state
  }

  /** Features per input step. */
  public int inputSize() {
    return inputSize;
  }

  /** Features of each direction's hidden state. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** Number of stacked layers. */
  public int numLayers() {
    return numLayers;
  }

  /** 2 if bidirectional, else 1. */
  public int directions() {
    return directions;
  }

  /** The cell of one layer and direction (0 forward, 1 reverse). */
  public Cell cell(int layer, int direction) {
    return cells.get(layer * directions + direction);
  }

  /** Collects a {@link RecurrentLayer}'s configuration and checks it in {@link #build()}. */
  public static final class Builder {
    private CellFactory factory;
    private int inputSize;
    private int hiddenSize;
    private int numLayers = 1;
    private boolean bidirectional;
    private double dropout;
    private Rng rng;

    private Builder() {}

    /** Required: makes the cells, e.g. {@code LstmCell.factory(backend, dtype)}. */
    public Builder setCell(CellFactory factory) {
      this.factory = factory;
      return this;
    }

    /** Required: features per input step. */
    public Builder setInputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /** Required: features of each direction's hidden state. */
    public Builder setHiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    /** Required: the generator of initial weights (and, forked, of dropout masks). */
    public Builder setRng(Rng rng) {
      this.rng = rng;
      return this;
    }

    /** Optional: stacked layers, default 1. */
    public Builder optNumLayers(int numLayers) {
      this.numLayers = numLayers;
      return this;
    }

    /** Optional: add a reverse direction, default false. */
    public Builder optBidirectional(boolean bidirectional) {
      this.bidirectional = bidirectional;
      return this;
    }

    /** Optional: dropout probability on the outputs of every layer but the last, in training; default 0. */
    public Builder optDropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /**
     * The layer.
     *
     * @throws IllegalStateException naming the missing or invalid setting
     */
    public RecurrentLayer build() {
      checkState(factory != null, "recurrent layer: setCell is required");
      checkState(rng != null, "recurrent layer: setRng is required");
      checkState(inputSize > 0, "recurrent layer: input size must be positive, got %s", inputSize);
      checkState(hiddenSize > 0, "recurrent layer: hidden size must be positive, got %s", hiddenSize);
      checkState(numLayers > 0, "recurrent layer: number of layers must be positive, got %s", numLayers);
      checkState(dropout >= 0 && dropout < 1, "recurrent layer: dropout %s outside [0, 1)", dropout);
      return new RecurrentLayer(this);
    }
  }
}
