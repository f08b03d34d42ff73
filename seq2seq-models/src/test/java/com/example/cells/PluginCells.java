package com.example.cells;

import dev.seq2seq.models.inject.CellProvider;
import dev.seq2seq.models.inject.CellType;
import java.util.Map;

/**
 * The user's plug-in: listed in {@code META-INF/services/dev.seq2seq.models.inject.CellProvider}, it
 * makes "mgu_plugin" usable by name in the ready-made components without a component of its own.
 */
public final class PluginCells implements CellProvider {
  @Override
  public Map<String, CellType> cells() {
    return Map.of("mgu_plugin", MinimalGatedCell::new);
  }
}
