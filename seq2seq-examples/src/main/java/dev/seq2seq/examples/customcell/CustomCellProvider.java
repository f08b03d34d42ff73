package dev.seq2seq.examples.customcell;

import dev.seq2seq.models.inject.CellProvider;
import dev.seq2seq.models.inject.CellType;
import java.util.Map;

/**
 * Offers {@link IndRnnCell} as {@value CustomCells#INDRNN} to the ready-made components, so the
 * command line can train it ({@code seq2seq train --cell indrnn}) and load models saved with it;
 * listed in this jar's {@code META-INF/services/dev.seq2seq.models.inject.CellProvider}.
 */
public final class CustomCellProvider implements CellProvider {
  @Override
  public Map<String, CellType> cells() {
    return Map.of(CustomCells.INDRNN, CustomCells.indRnn());
  }
}
