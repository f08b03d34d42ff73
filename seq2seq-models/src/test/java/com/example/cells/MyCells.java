package com.example.cells;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.seq2seq.models.inject.CellType;

/** The user's registration: one line makes "mgu" usable by name in configs. */
@Module
public interface MyCells {
  @Provides
  @IntoMap
  @StringKey("mgu")
  static CellType mgu() {
    return MinimalGatedCell::new;
  }
}
