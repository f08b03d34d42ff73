package dev.seq2seq.models.rnn;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;

/**
 * The Elman recurrent cell, PyTorch's {@code nn.RNNCell}:
 *
 * <pre>  h' = act(W_ih x + b_ih + W_hh h + b_hh)</pre>
 *
 * <p>with {@code act} = tanh or relu, {@code weight_ih [H, in]}, {@code weight_hh [H, H]},
 * {@code bias_ih [H]}, {@code bias_hh [H]}. The state is {@code h} alone.
 */
public final class RnnCell extends AbstractCell {
  /** The nonlinearity {@code act}. */
  public enum Nonlinearity {
    /** Hyperbolic tangent (PyTorch's default). */
    TANH,
    /** {@code max(x, 0)}. */
    RELU
  }

  private final Nonlinearity nonlinearity;

  /** A tanh cell. */
  public RnnCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng) {
    this(backend, dtype, inputSize, hiddenSize, Nonlinearity.TANH, rng);
  }

  /** A cell with the given nonlinearity, weights drawn from {@code rng}. */
  public RnnCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Nonlinearity nonlinearity, Rng rng) {
    super(backend, dtype, inputSize, hiddenSize, 1, 1, rng);
    this.nonlinearity = nonlinearity;
  }

  /** A factory of cells with the given nonlinearity, for {@link RecurrentLayer}. */
  public static CellFactory factory(Backend backend, DType dtype, Nonlinearity nonlinearity) {
    return (in, hidden, rng) -> new RnnCell(backend, dtype, in, hidden, nonlinearity, rng);
  }

  /** The nonlinearity. */
  public Nonlinearity nonlinearity() {
    return nonlinearity;
  }

  /** A ReLU state is unbounded. */
  @Override
  boolean hasBoundedState() {
    return nonlinearity == Nonlinearity.TANH;
  }

  @Override
  protected CellState advance(Tensor input, CellState state) {
    Tensor pre = summedProjections(input, state.hidden());
    return CellState.of(nonlinearity == Nonlinearity.TANH ? pre.tanh() : pre.relu());
  }
}
