package dev.seq2seq.examples.customcell;

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

/**
 * An independently recurrent cell in the style of IndRNN (Li et al., "Independently Recurrent
 * Neural Network (IndRNN): Building A Longer and Deeper RNN", CVPR 2018), written in user code with
 * the public tensor API only — no gradient code: every backend differentiates it.
 *
 * <pre>
 *   h' = tanh(x W^T + u * h + b)
 * </pre>
 *
 * <p>Each hidden unit feeds back only to itself through its own weight {@code u_j} (the {@code *} is
 * elementwise), instead of the full {@code H x H} matrix of an Elman RNN; one matrix product per step.
 * This version uses tanh rather than the paper's relu, so no constraint on {@code u} is needed.
 *
 * <p>Parameters: {@code weight_ih [H, in]} and {@code bias [H]} uniform in {@code ±1/sqrt(H)} (as
 * PyTorch's RNN cells), {@code weight_hh [H]} — a vector — uniform in {@code [0, 1]} (the paper's
 * initialisation for short sequences). The state is {@code h} alone, zeros at the start.
 */
public final class IndRnnCell extends Module implements Cell {
  private final Backend backend;
  private final DType dtype;
  private final int inputSize;
  private final int hiddenSize;
  private final Parameter weightIh;
  private final Parameter weightHh;
  private final Parameter bias;

  /** A cell {@code inputSize -> hiddenSize} with weights drawn from {@code rng}: the shape of a {@code CellType}. */
  public IndRnnCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng) {
    checkArgument(inputSize > 0 && hiddenSize > 0, "IndRnnCell: sizes must be positive, got input %s, hidden %s", inputSize, hiddenSize);
    this.backend = backend;
    this.dtype = dtype;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    double k = 1 / Math.sqrt(hiddenSize);
    weightIh = registerParameter("weight_ih", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize, inputSize), rng, -k, k)));
    weightHh = registerParameter("weight_hh", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize), rng, 0, 1)));
    bias = registerParameter("bias", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize), rng, -k, k)));
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public CellState initialState(int batch) {
    return CellState.of(Tensors.zeros(backend, dtype, Shape.of(batch, hiddenSize)));
  }

  @Override
  public CellState step(Tensor input, CellState state) {
    checkArgument(input.rank() == 2 && input.dim(1) == inputSize, "IndRnnCell: input %s, expected [batch, %s]", input.shape(), inputSize);
    Tensor h = state.hidden();
    checkArgument(h.shape().equals(Shape.of(input.dim(0), hiddenSize)),
        "IndRnnCell: state %s, expected [%s, %s]", h.shape(), input.dim(0), hiddenSize);
    return CellState.of(input.matmul(weightIh.value(), false, true).add(h.mul(weightHh.value())).add(bias.value()).tanh());
  }
}
