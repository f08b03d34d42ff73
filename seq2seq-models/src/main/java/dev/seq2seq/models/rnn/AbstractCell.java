package dev.seq2seq.models.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The common part of PyTorch-style cells with {@code G} stacked gate blocks: the parameters
 * {@code weight_ih [G*H, in]}, {@code weight_hh [G*H, H]}, {@code bias_ih [G*H]},
 * {@code bias_hh [G*H]}, all initialised from {@code U(-1/sqrt(H), 1/sqrt(H))} in that order, the
 * two projections
 *
 * <pre>  gi = x W_ih^T + b_ih,   gh = h W_hh^T + b_hh</pre>
 *
 * <p>and the shape checks. Subclasses implement {@link #advance} with the gate equations.
 */
public abstract class AbstractCell extends Module implements Cell {
  private final Backend backend;
  private final DType dtype;
  private final int inputSize;
  private final int hiddenSize;
  private final int stateParts;
  private final Parameter weightIh;
  private final Parameter weightHh;
  private final Parameter biasIh;
  private final Parameter biasHh;

  /**
   * Registers the four parameters for {@code gates} gate blocks.
   *
   * @param stateParts tensors in the state (1 for h, 2 for h and c)
   * @throws IllegalArgumentException if a size is not positive
   */
  protected AbstractCell(Backend backend, DType dtype, int inputSize, int hiddenSize, int gates, int stateParts, Rng rng) {
    checkArgument(inputSize > 0 && hiddenSize > 0, "cell: sizes must be positive, got input=%s hidden=%s", inputSize, hiddenSize);
    checkArgument(dtype.isFloating(), "cell: dtype must be floating point, got %s", dtype.label());
    this.backend = backend;
    this.dtype = dtype;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.stateParts = stateParts;
    double k = 1.0 / Math.sqrt(hiddenSize);
    int rows = gates * hiddenSize;
    this.weightIh = registerParameter("weight_ih", uniform(Shape.of(rows, inputSize), rng, k));
    this.weightHh = registerParameter("weight_hh", uniform(Shape.of(rows, hiddenSize), rng, k));
    this.biasIh = registerParameter("bias_ih", uniform(Shape.of(rows), rng, k));
    this.biasHh = registerParameter("bias_hh", uniform(Shape.of(rows), rng, k));
  }

  private Parameter uniform(Shape shape, Rng rng, double k) {
    return new Parameter(Tensors.uniform(backend, dtype, shape, rng, -k, k));
  }

  @Override
  public final int inputSize() {
    return inputSize;
  }

  @Override
  public final int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public final CellState initialState(int batch) {
    checkArgument(batch > 0, "cell: batch must be positive, got %s", batch);
    List<Tensor> parts = new ArrayList<>(stateParts);
    for (int i = 0; i < stateParts; i++) {
      parts.add(Tensors.zeros(backend, dtype, Shape.of(batch, hiddenSize)));
    }
    return CellState.of(parts);
  }

  @Override
  public final CellState step(Tensor input, CellState state) {
    String name = getClass().getSimpleName();
    checkArgument(input.rank() == 2 && input.dim(1) == inputSize,
        "%s: input %s, expected [batch, %s]", name, input.shape(), inputSize);
    checkArgument(state.size() == stateParts, "%s: state has %s parts, expected %s", name, state.size(), stateParts);
    Shape expected = Shape.of(input.dim(0), hiddenSize);
    for (int i = 0; i < stateParts; i++) {
      checkArgument(state.part(i).shape().equals(expected),
          "%s: state part %s is %s, expected %s", name, i, state.part(i).shape(), expected);
    }
    return advance(input, state);
  }

  /**
   * Whether the state stays finite whatever the inputs: LSTM ({@code |c|} grows by at most 1 a step),
   * GRU and tanh cells. A layer may then step padded positions freely and pick each sequence's last
   * real state ({@link RecurrentLayer}); a state that can overflow there (ReLU) would turn into NaN
   * weight gradients through {@code h^T * 0}, so such cells keep their state masked at every step.
   */
  boolean hasBoundedState() {
    return true;
  }

  /** Computes the new state from checked arguments. */
  protected abstract CellState advance(Tensor input, CellState state);

  /**
   * {@code x W_ih^T + h W_hh^T + (b_ih + b_hh)}, {@code [batch, G*H]}: the sum of both projections
   * for cells that add them whole (LSTM, Elman RNN), with the two biases added to each other first
   * ({@code [G*H]}), so a step adds one bias to the batch instead of two and its backward sums the
   * gradient over the batch once instead of twice.
   */
  protected final Tensor summedProjections(Tensor x, Tensor h) {
    return inputProduct(x).add(hiddenProduct(h)).add(summedBias());
  }

  /** {@code x W_ih^T}, {@code [batch, G*H]}: the input product without its bias. */
  protected final Tensor inputProduct(Tensor x) {
    return x.matmul(weightIh.value(), false, true);
  }

  /** {@code h W_hh^T}, {@code [batch, G*H]}: the hidden product without its bias. */
  protected final Tensor hiddenProduct(Tensor h) {
    return h.matmul(weightHh.value(), false, true);
  }

  /** {@code b_ih}, {@code [G*H]}. */
  protected final Tensor inputBias() {
    return biasIh.value();
  }

  /** {@code b_hh}, {@code [G*H]}. */
  protected final Tensor hiddenBias() {
    return biasHh.value();
  }

  /** {@code b_ih + b_hh}, {@code [G*H]}: the two biases of {@link #summedProjections}, added once. */
  protected final Tensor summedBias() {
    return biasIh.value().add(biasHh.value());
  }

  /** Gate block {@code k} ({@code [batch, H]}) of a stacked projection. */
  protected final Tensor gate(Tensor stacked, int k) {
    return stacked.sliceAxis(1, k * hiddenSize, hiddenSize);
  }
}
