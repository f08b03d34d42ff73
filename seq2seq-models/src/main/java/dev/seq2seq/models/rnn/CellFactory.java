package dev.seq2seq.models.rnn;

import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.random.Rng;

/**
 * Makes the cells of a {@link RecurrentLayer}, one per layer and direction.
 *
 * <p>The cell must also be a {@link dev.seq2seq.api.module.Module}; the layer exposes its
 * parameters under PyTorch's layer names ({@code weight_ih} of layer 1's reverse cell becomes
 * {@code weight_ih_l1_reverse}; dots in a cell's own names become {@code _}). The cells are not
 * registered as child modules (that would prefix their names), so a cell whose behaviour depends
 * on {@link dev.seq2seq.api.module.Module#setTraining} does not see the layer's mode. Backend and dtype are captured by the factory, e.g.
 * {@code (in, hidden, rng) -> new LstmCell(backend, DType.FLOAT32, in, hidden, rng)}.
 */
@FunctionalInterface
public interface CellFactory {
  /** A new cell {@code inputSize -> hiddenSize} with initial weights drawn from {@code rng}. */
  Cell create(int inputSize, int hiddenSize, Rng rng);
}
