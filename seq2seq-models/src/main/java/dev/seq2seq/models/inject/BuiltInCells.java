package dev.seq2seq.models.inject;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.Multibinds;
import dagger.multibindings.StringKey;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.rnn.LstmCell;
import dev.seq2seq.models.rnn.RnnCell;
import java.util.Set;

/** The framework's cells by name: {@code rnn_tanh}, {@code rnn_relu}, {@code lstm}, {@code gru}. */
@Module
public interface BuiltInCells {
  /** Plug-in cells: none unless a component also includes {@link ClassPathCells}. */
  @Multibinds
  Set<CellProvider> cellProviders();

  /** Elman RNN with tanh. */
  @Provides
  @IntoMap
  @StringKey("rnn_tanh")
  static CellType rnnTanh() {
    return (backend, dtype, in, hidden, rng) -> new RnnCell(backend, dtype, in, hidden, RnnCell.Nonlinearity.TANH, rng);
  }

  /** Elman RNN with relu. */
  @Provides
  @IntoMap
  @StringKey("rnn_relu")
  static CellType rnnRelu() {
    return (backend, dtype, in, hidden, rng) -> new RnnCell(backend, dtype, in, hidden, RnnCell.Nonlinearity.RELU, rng);
  }

  /** Long short-term memory. */
  @Provides
  @IntoMap
  @StringKey("lstm")
  static CellType lstm() {
    return LstmCell::new;
  }

  /** Gated recurrent unit. */
  @Provides
  @IntoMap
  @StringKey("gru")
  static CellType gru() {
    return GruCell::new;
  }
}
