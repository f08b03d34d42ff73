package dev.seq2seq.models.inject;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.models.rnn.CellFactory;

/**
 * A kind of recurrent cell, registered by name in a Dagger map multibinding: its shape is that of a
 * cell constructor, so {@code LstmCell::new} is one. The cell must also be a
 * {@link dev.seq2seq.api.module.Module} so its parameters are registered with the model.
 *
 * <pre>{@code
 * @Module
 * interface MyCells {
 *   @Provides @IntoMap @StringKey("mgu")
 *   static CellType mgu() { return MinimalGatedCell::new; }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface CellType {
  /** A new cell {@code inputSize -> hiddenSize} on {@code backend}, weights drawn from {@code rng}. */
  Cell create(Backend backend, DType dtype, int inputSize, int hiddenSize, Rng rng);

  /** This cell kind with backend and dtype fixed, as the recurrent layers take it. */
  default CellFactory on(Backend backend, DType dtype) {
    return (in, hidden, rng) -> create(backend, dtype, in, hidden, rng);
  }
}
