package com.example.cells;

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
 * A user's own cell, written outside the framework's packages with the public API only: the
 * minimal gated unit (Zhou et al., 2016), one forget gate and no gradient code.
 *
 * <pre>
 *   f  = sigmoid(x W_f^T + h U_f^T + b_f)
 *   h~ = tanh(x W_h^T + (f * h) U_h^T + b_h)
 *   h' = (1 - f) * h + f * h~
 * </pre>
 */
public final class MinimalGatedCell extends Module implements Cell {
  private final Backend backend;
  private final DType dtype;
  private final int inputSize;
  private final int hiddenSize;
  private final Parameter wf;
  private final Parameter uf;
  private final Parameter bf;
  private final Parameter wh;
  private final Parameter uh;
  private final Parameter bh;

  public MinimalGatedCell(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng) {
    this.backend = backend;
    this.dtype = dtype;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    double k = 1 / Math.sqrt(hiddenSize);
    wf = registerParameter("w_f", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize, inputSize), rng, -k, k)));
    uf = registerParameter("u_f", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize, hiddenSize), rng, -k, k)));
    bf = registerParameter("b_f", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize), rng, -k, k)));
    wh = registerParameter("w_h", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize, inputSize), rng, -k, k)));
    uh = registerParameter("u_h", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize, hiddenSize), rng, -k, k)));
    bh = registerParameter("b_h", new Parameter(Tensors.uniform(backend, dtype, Shape.of(hiddenSize), rng, -k, k)));
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
  public CellState step(Tensor x, CellState state) {
    Tensor h = state.hidden();
    Tensor f = x.matmul(wf.value(), false, true).add(h.matmul(uf.value(), false, true)).add(bf.value()).sigmoid();
    Tensor candidate = x.matmul(wh.value(), false, true).add(f.mul(h).matmul(uh.value(), false, true)).add(bh.value()).tanh();
    return CellState.of(h.add(f.mul(candidate.sub(h))));
  }
}
