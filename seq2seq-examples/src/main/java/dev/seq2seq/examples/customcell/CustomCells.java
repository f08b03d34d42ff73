package dev.seq2seq.examples.customcell;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.seq2seq.models.inject.CellType;

/** Registers {@link IndRnnCell} under the name {@value #INDRNN}: this is all it takes to use it by name in a config. */
@Module
public interface CustomCells {
  /** The name configs use. */
  String INDRNN = "indrnn";

  /** The cell's constructor has the shape of a {@link CellType}. */
  @Provides
  @IntoMap
  @StringKey(INDRNN)
  static CellType indRnn() {
    return IndRnnCell::new;
  }
}
