package dev.seq2seq.models.inject;

import java.util.Map;

/**
 * Cells contributed by a jar on the class path, found with {@link java.util.ServiceLoader}: how a
 * user's own cell reaches the ready-made components ({@link ModelComponent},
 * {@link BackendBoundComponent}) and so the {@code seq2seq} command line ({@code train --cell NAME},
 * and {@code translate}/{@code eval} of a model saved with it) without a component of its own.
 *
 * <p>An implementation has a public no-argument constructor and is listed, by its binary name, in
 * the jar's {@code META-INF/services/dev.seq2seq.models.inject.CellProvider}. Its names join the
 * built-in ones; a name given twice (by two providers, or by a provider and a Dagger
 * {@code @IntoMap} registration) is an error that names both.
 */
public interface CellProvider {
  /** The cells, by the names configs use. */
  Map<String, CellType> cells();
}
