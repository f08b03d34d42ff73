package dev.seq2seq.api.nn;

import dev.seq2seq.api.tensor.Tensor;

/**
 * One time step of a recurrent network: {@code (x_t, state_{t-1}) -> (output_t, state_t)}.
 *
 * <p>Shapes: {@code input [batch, inputSize]}; every state part {@code [batch, hiddenSize]};
 * the output is the new hidden state {@code h_t}. Layers over time (multi-layer stacks,
 * bidirectional encoders, padding masks) are built from cells by the models module, so a user's own
 * cell gets all of them — and, since it is composed of tensor primitives, its gradients — for free.
 */
public interface Cell {
  /** Features per input step. */
  int inputSize();

  /** Features of the hidden state. */
  int hiddenSize();

  /** The state before the first step: zeros of {@code [batch, hiddenSize]} in every part. */
  CellState initialState(int batch);

  /**
   * Advances one step.
   *
   * @param input {@code [batch, inputSize]}
   * @param state the previous state, as from {@link #initialState} or a previous step
   * @return the new state; its {@link CellState#hidden()} is the step's output
   * @throws IllegalArgumentException naming the expected and actual shapes on a mismatch
   */
  CellState step(Tensor input, CellState state);
}
